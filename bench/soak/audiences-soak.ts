/**
 * examples/audiences-cja in the soak. Each run's variant renames the data view now and then and
 * sets a new `refresh` value now and then (the guide's "regular cadence": a new export job and a
 * new transform query replace the old ones).
 *
 * Export jobs and queries cannot be deleted in Adobe, so they are checked against every job and
 * query the stack has ever converged on: a job (or query) that is neither in the state nor one of
 * those was submitted twice for one declaration.
 */
import { AUDIENCE_DIMENSIONS } from "../../examples/audiences-cja/guide";
import { SAMPLE_AUDIENCES, type AudiencesUiSetup } from "../../examples/audiences-cja/ui-setup";
import { EmulatorAdmin } from "../emulator-admin";
import { audiencesExample, type EmulatorTarget, type StackUnderTest } from "../example-stacks";
import { PROGRAMS } from "../../cli/workspace";
import { accountFor, aepOf, cjaOf, duplicateNames, leftPending, tracked, type EmulatorDump, type Problem, type SoakState } from "./emulator-view";
import type { SoakStack } from "./soak-stack";

export interface AudiencesVariant {
  dataViewName: string;
  refresh: string;
}

const NAMES = ["Audiences (soak)", "Audiences (soak, renamed)"];
const PQS_TABLE_TAG = "adobe/pqs/table";

/** Plays AEP and the UI for the example and returns the soak stack; `timing` are the stack's wait settings. */
export async function prepareAudiencesSoak(
  target: EmulatorTarget,
  admin: EmulatorAdmin,
  client: Record<string, string>,
  timing: { timeoutSeconds: number; pollIntervalSeconds: number; asyncWorkMs: number },
): Promise<SoakStack<AudiencesVariant>> {
  const { ui, stack } = await audiencesExample(target, client, {
    "audiences-cja:timeoutSeconds": String(timing.timeoutSeconds),
    "audiences-cja:pollIntervalSeconds": String(timing.pollIntervalSeconds),
  });
  const sandbox = `${EmulatorAdmin.org(target.orgId)}/sandboxes/${encodeURIComponent(ui.sandbox)}`;
  return {
    ...audiencesSoakStack(target.orgId, ui, stack),
    async settle() {
      // Jobs and queries take effect when read after their finish time: reading the rows settles the sandbox.
      await new Promise((resolve) => setTimeout(resolve, timing.asyncWorkMs));
      await admin.call("GET", `${sandbox}/datasets/${ui.profileDatasetId ?? ""}/rows`);
    },
    adobeFailure: {
      arm: async () => {
        await admin.call("PUT", `${sandbox}/export-jobs/next-failure`, { code: "0100-500", msg: "Export failed in the soak (injected)" });
      },
      disarm: async () => {
        await admin.call("DELETE", `${sandbox}/export-jobs/next-failure`);
      },
    },
  };
}

function audiencesSoakStack(orgId: string, ui: AudiencesUiSetup, stack: StackUnderTest): SoakStack<AudiencesVariant> {
  const exportDatasetName = stack.config[`${stack.project}:exportDatasetName`];
  const history = { jobs: new Set<string>(), queries: new Set<string>() };
  return {
    name: "audiences-cja",
    project: stack.project,
    initial: { dataViewName: NAMES[0], refresh: "cadence-0" },
    next: (random, last, run) => ({
      dataViewName: random.chance(0.3) ? NAMES.find((n) => n !== last.dataViewName)! : last.dataViewName,
      refresh: random.chance(0.4) ? `cadence-${run}` : last.refresh,
    }),
    describe: (v) => `data view "${v.dataViewName}", refresh "${v.refresh}"`,
    changes: (last, next) => [
      ...(next.dataViewName !== last.dataViewName ? ["data view renamed"] : []),
      ...(next.refresh !== last.refresh ? ["new refresh value (new export job and query)"] : []),
    ],
    config: (v) => ({ ...stack.config, [`${stack.project}:dataViewName`]: v.dataViewName, [`${stack.project}:refresh`]: v.refresh }),
    cliProgram: PROGRAMS["audiences-cja"],
    inProcessProgram: stack.program,
    check(dump, state, v, converged, setAside) {
      if (converged) {
        for (const r of tracked(state, "aep:AudienceExportJob").current) history.jobs.add(r.id);
        for (const r of tracked(state, "aep:AudienceMembershipTransform").current) history.queries.add(r.id);
      }
      return checkAudiences(dump, state, v, converged, { orgId, ui, exportDatasetName, history, setAside });
    },
  };
}

interface Context {
  orgId: string;
  ui: AudiencesUiSetup;
  exportDatasetName: string;
  /** Jobs and queries of runs that succeeded. */
  history: { jobs: Set<string>; queries: Set<string> };
  /** Leftovers of violations already counted. */
  setAside: ReadonlySet<string>;
}

function checkAudiences(dump: EmulatorDump, state: SoakState | undefined, v: AudiencesVariant, converged: boolean, ctx: Context): Problem[] {
  const { ui } = ctx;
  const cja = cjaOf(dump, ctx.orgId);
  const aep = aepOf(dump, ctx.orgId, ui.sandbox);
  const problems: Problem[] = [];

  // What AEP and the UI made must survive every run.
  const profileDataset = ui.profileDatasetId === undefined ? undefined : aep?.datasets[ui.profileDatasetId];
  if (!profileDataset) problems.push({ kind: "lost", detail: `profile dataset ${ui.profileDatasetId}` });
  if (!cja.connections[ui.connectionId]) problems.push({ kind: "lost", detail: `connection ${ui.connectionId}` });
  if (!cja.dataViews[ui.templateDataViewId] || Object.keys(cja.components[ui.templateDataViewId]?.dimensions ?? {}).length !== AUDIENCE_DIMENSIONS.length) {
    problems.push({ kind: "lost", detail: `template data view ${ui.templateDataViewId}` });
  }
  const audiences = Object.values(aep?.audiences ?? {});
  if (audiences.length !== SAMPLE_AUDIENCES.length) problems.push({ kind: "lost", detail: `${audiences.length} audiences of ${SAMPLE_AUDIENCES.length}` });

  // The data view.
  const kept = <T extends { id: string | number }>(objects: T[]) => objects.filter((o) => !ctx.setAside.has(String(o.id)));
  const dataViews = kept(Object.values(cja.dataViews).filter((dv) => dv.parentDataGroupId === ui.connectionId && dv.id !== ui.templateDataViewId));
  const stateDataViews = tracked(state, "cja:DataView");
  problems.push(...accountFor("data view", dataViews.map((dv) => dv.id), stateDataViews.ids));
  const pendingDataViews = new Set(stateDataViews.pending.map((r) => r.id));
  problems.push(...duplicateNames("data view", dataViews.filter((dv) => !pendingDataViews.has(dv.id))));

  // The export dataset (created) and the profile dataset (adopted).
  const datasets = Object.values(aep?.datasets ?? {});
  const exportDatasets = kept(datasets.filter((d) => d.name === ctx.exportDatasetName));
  const stateDatasets = tracked(state, "aep:Dataset");
  problems.push(...accountFor("dataset", [...exportDatasets.map((d) => d.id), ...(profileDataset ? [profileDataset.id] : [])], stateDatasets.ids));
  problems.push(...duplicateNames("dataset", exportDatasets));

  // Export jobs into the export dataset, and transform queries into the profile dataset's table.
  const exportIds = new Set(exportDatasets.map((d) => d.id));
  const jobs = kept(Object.values(aep?.exportJobs ?? {}).filter((j) => exportIds.has(j.request.destination.datasetId) && j.outcome?.status !== "FAILED" && !j.scriptedFailure));
  const stateJobs = tracked(state, "aep:AudienceExportJob");
  for (const job of jobs) {
    const id = String(job.id);
    if (!stateJobs.ids.has(id) && !ctx.history.jobs.has(id)) {
      // Adobe keeps nothing on an export job that could carry an ownership key (docs/RELIABILITY.md).
      problems.push({ kind: "unclaimed", detail: `export job ${id} (${job.outcome?.status ?? "running"}) was submitted but no state or earlier run holds it`, objectIds: [id] });
    }
  }
  const table = profileDataset?.tags[PQS_TABLE_TAG]?.[0];
  const queries = kept(Object.values(aep?.queries ?? {})).filter(
    (q) => table !== undefined && String(q.request.sql ?? "").startsWith(`INSERT INTO ${table}`) && q.outcome?.state !== "FAILED" && q.killedAt === undefined,
  );
  const stateQueries = tracked(state, "aep:AudienceMembershipTransform");
  for (const query of queries) {
    if (!stateQueries.ids.has(query.id) && !ctx.history.queries.has(query.id)) {
      problems.push({ kind: "orphan", detail: `transform query ${query.id} (${query.outcome?.state ?? "running"}) ran but no state or earlier run holds it`, objectIds: [query.id] });
    }
  }

  if (!converged) return problems;

  problems.push(...leftPending(state));
  const declaredDataView = stateDataViews.current[0];
  const live = declaredDataView && cja.dataViews[declaredDataView.id];
  if (dataViews.length !== 1 || !live) problems.push({ kind: "not-as-declared", detail: `${dataViews.length} data views on the connection, 1 declared` });
  else {
    if (live.name !== v.dataViewName) problems.push({ kind: "not-as-declared", detail: `data view named "${live.name}", declared "${v.dataViewName}"` });
    if (live.externalData?.externalId !== declaredDataView.outputs.externalId) problems.push({ kind: "not-as-declared", detail: `data view ${live.id} carries external id ${live.externalData?.externalId}` });
  }
  if (exportDatasets.length !== 1) problems.push({ kind: "not-as-declared", detail: `${exportDatasets.length} datasets named "${ctx.exportDatasetName}", 1 declared` });
  const job = stateJobs.current[0] && aep?.exportJobs[stateJobs.current[0].id];
  if (!job || job.outcome?.status !== "SUCCEEDED") problems.push({ kind: "not-as-declared", detail: `the state's export job ${stateJobs.current[0]?.id} is ${job?.outcome?.status ?? "missing"}` });
  const query = stateQueries.current[0] && aep?.queries[stateQueries.current[0].id];
  if (!query || query.outcome?.state !== "SUCCESS") problems.push({ kind: "not-as-declared", detail: `the state's transform query ${stateQueries.current[0]?.id} is ${query?.outcome?.state ?? "missing"}` });
  return problems;
}
