/**
 * examples/ajo-cja in the soak. Each run's variant renames the data view now and then, switches
 * its template now and then (a replace of the data view, its components and its calculated
 * metrics), and always swaps an extra calculated metric for a new one (a create and a delete).
 */
import { PROGRAMS, type ProgramSource } from "../../cli/workspace";
import { EMAIL_FILTER, EMAIL_SENDS } from "../../examples/ajo-cja/beyond-guide";
import { AJO_CALCULATED_METRICS, AJO_DIMENSIONS, AJO_METRICS } from "../../examples/ajo-cja/guide";
import type { StoredSegment } from "../../emulator/cja/segments";
import { ajoCjaStack } from "../../examples/ajo-cja/stack";
import { templateDimensions, templateMetrics, type AjoUiSetup } from "../../examples/ajo-cja/ui-setup";
import { EmulatorAdmin } from "../emulator-admin";
import { ajoExample, type EmulatorTarget, type StackUnderTest } from "../example-stacks";
import { PROBE_CONFIG_KEY, probeName as nthProbeName, soakProbe } from "./ajo-probe";
import { accountFor, canonical, cjaOf, duplicateNames, leftPending, tracked, type EmulatorDump, type Problem, type SoakState } from "./emulator-view";
import type { SoakStack } from "./soak-stack";

export interface AjoVariant {
  dataViewName: string;
  /** Which template the data view is copied from. */
  template: "A" | "B";
  /** The extra calculated metric: `Soak probe <n>`. */
  probe: number;
}

const NAMES = ["AJO reporting (soak)", "AJO reporting (soak, renamed)"];
/** A second template on the same connection, with the same components. */
const TEMPLATE_B = { id: "dv_7b2f1d3e0c9a8b7c6d5e4f3a", name: "AJO template B" };
const probeName = (v: AjoVariant) => nthProbeName(v.probe);

/**
 * The example's program for the real CLI, with the probe: the example's files, its index.ts
 * replaced by one that also declares the probe (bench/soak/ajo-probe.ts, copied beside it).
 */
const CLI_PROGRAM: ProgramSource = {
  project: PROGRAMS["ajo-cja"].project,
  files: [...PROGRAMS["ajo-cja"].files.filter(([, to]) => to !== "index.ts"), ["bench/soak/ajo-probe.ts", "soak-probe.ts"]],
  write: {
    "index.ts": [
      'import { ajoCjaStack } from "./stack";',
      'import { soakProbe } from "./soak-probe";',
      "",
      "const ajo = ajoCjaStack();",
      "const probe = soakProbe(ajo);",
      "",
      ...["connectionId", "dataViewId", "datasetIds", "dimensionIds", "metricIds", "calculatedMetricIds"].map((k) => `export const ${k} = ajo.outputs.${k};`),
      "export const probeId = probe.calculatedMetricId;",
      "",
    ].join("\n"),
  },
};

/** Plays the UI (the example's set-up and a second template) and returns the soak stack. */
export async function prepareAjoSoak(target: EmulatorTarget, admin: EmulatorAdmin, client: Record<string, string>): Promise<SoakStack<AjoVariant>> {
  const { ui, stack } = await ajoExample(target, client);
  const org = EmulatorAdmin.org(target.orgId);
  if (!(await admin.exists(`${org}/dataviews/${TEMPLATE_B.id}`))) {
    await admin.call("POST", `${org}/dataviews`, {
      id: TEMPLATE_B.id,
      name: TEMPLATE_B.name,
      parentDataGroupId: ui.connectionId,
      timezoneDesignator: "US/Mountain",
      dimensions: templateDimensions(),
      metrics: templateMetrics(),
    });
  }
  return ajoSoakStack(target.orgId, ui, stack);
}

function ajoSoakStack(orgId: string, ui: AjoUiSetup, stack: StackUnderTest): SoakStack<AjoVariant> {
  const templates = { A: ui.templateDataViewId, B: TEMPLATE_B.id };
  return {
    name: "ajo-cja",
    project: stack.project,
    initial: { dataViewName: NAMES[0], template: "A", probe: 1 },
    next: (random, last) => ({
      dataViewName: random.chance(0.3) ? NAMES.find((n) => n !== last.dataViewName)! : last.dataViewName,
      template: random.chance(0.2) ? (last.template === "A" ? "B" : "A") : last.template,
      probe: last.probe + 1,
    }),
    describe: (v) => `data view "${v.dataViewName}" from template ${v.template}, calculated metric "${probeName(v)}"`,
    changes: (last, next) => [
      ...(next.dataViewName !== last.dataViewName ? ["data view renamed"] : []),
      ...(next.template !== last.template ? ["template switched (data view replaced)"] : []),
    ],
    config: (v) => ({
      ...stack.config,
      [`${stack.project}:dataViewName`]: v.dataViewName,
      [`${stack.project}:templateDataViewId`]: templates[v.template],
      [PROBE_CONFIG_KEY]: String(v.probe),
    }),
    cliProgram: CLI_PROGRAM,
    inProcessProgram: () => {
      const ajo = ajoCjaStack();
      const probe = soakProbe(ajo);
      return { ...ajo.outputs, probeId: probe.calculatedMetricId };
    },
    check: (dump, state, v, converged, setAside) => checkAjo(dump, state, v, converged, setAside, orgId, ui, Object.values(templates)),
  };
}

function checkAjo(
  dump: EmulatorDump,
  state: SoakState | undefined,
  v: AjoVariant,
  converged: boolean,
  setAside: ReadonlySet<string>,
  orgId: string,
  ui: AjoUiSetup,
  templateIds: string[],
): Problem[] {
  const cja = cjaOf(dump, orgId);
  const problems: Problem[] = [];

  // What the Adobe UI made must survive every run.
  if (!cja.connections[ui.connectionId]) problems.push({ kind: "lost", detail: `connection ${ui.connectionId}` });
  for (const id of templateIds) {
    const components = cja.components[id];
    const counts = [Object.keys(components?.dimensions ?? {}).length, Object.keys(components?.metrics ?? {}).length];
    if (!cja.dataViews[id] || counts[0] !== AJO_DIMENSIONS.length || counts[1] !== AJO_METRICS.length) {
      problems.push({ kind: "lost", detail: `template data view ${id} (${cja.dataViews[id] ? `${counts[0]} dimensions, ${counts[1]} metrics` : "gone"})` });
    }
  }

  // Every data view on the connection and every calculated metric is accounted for by the state.
  const dataViews = Object.values(cja.dataViews).filter((dv) => dv.parentDataGroupId === ui.connectionId && !templateIds.includes(dv.id) && !setAside.has(dv.id));
  const metrics = Object.values(cja.calculatedMetrics).filter((m) => !setAside.has(m.id));
  const filters = Object.values((cja as { segments?: Record<string, StoredSegment> }).segments ?? {}).filter((f) => !setAside.has(f.id));
  const stateDataViews = tracked(state, "cja:DataView");
  const stateMetrics = tracked(state, "cja:CalculatedMetric");
  const stateFilters = tracked(state, "cja:Filter");
  // An unstamped "<template> (Copy)" no state holds: what a kill between Adobe's copy and the stamp leaves (docs/RELIABILITY.md).
  const copyNames = new Set(templateIds.map((id) => `${cja.dataViews[id]?.name} (Copy)`));
  const unclaimed = dataViews.filter((dv) => !stateDataViews.ids.has(dv.id) && copyNames.has(dv.name) && !dv.externalData?.externalId);
  for (const dv of unclaimed) problems.push({ kind: "unclaimed", detail: `data view ${dv.id} "${dv.name}" is an unstamped copy in no state`, objectIds: [dv.id] });
  problems.push(...accountFor("data view", dataViews.filter((dv) => !unclaimed.includes(dv)).map((dv) => dv.id), stateDataViews.ids));
  problems.push(...accountFor("calculated metric", metrics.map((m) => m.id), stateMetrics.ids));
  problems.push(...accountFor("filter", filters.map((f) => f.id), stateFilters.ids));

  // Objects being replaced (pending deletion) may share a name with their replacement; no others.
  const pendingIds = new Set([...stateDataViews.pending, ...stateMetrics.pending, ...stateFilters.pending].map((r) => r.id));
  problems.push(...duplicateNames("data view", dataViews.filter((dv) => !pendingIds.has(dv.id))));
  const metricsByDataView = new Map<string, typeof metrics>();
  for (const m of metrics.filter((m) => !pendingIds.has(m.id))) metricsByDataView.set(m.dataId, [...(metricsByDataView.get(m.dataId) ?? []), m]);
  for (const [dataViewId, list] of metricsByDataView) problems.push(...duplicateNames(`calculated metric of ${dataViewId}`, list));
  problems.push(...duplicateNames("filter", filters.filter((f) => !pendingIds.has(f.id))));

  if (!converged) return problems;

  // After a successful run: exactly what the variant declares.
  problems.push(...leftPending(state));
  const declaredDataView = stateDataViews.current[0];
  const live = declaredDataView && cja.dataViews[declaredDataView.id];
  const managed = dataViews.filter((dv) => !unclaimed.includes(dv));
  if (managed.length !== 1 || !live) {
    problems.push({ kind: "not-as-declared", detail: `${managed.length} data views on the connection besides unstamped copies (${managed.map((dv) => dv.id).join(", ")}), 1 declared` });
    return problems;
  }
  if (live.name !== v.dataViewName) problems.push({ kind: "not-as-declared", detail: `data view named "${live.name}", declared "${v.dataViewName}"` });
  if (live.externalData?.externalId !== declaredDataView.outputs.externalId) problems.push({ kind: "not-as-declared", detail: `data view ${live.id} carries external id ${live.externalData?.externalId}` });
  const components = cja.components[live.id];
  if (Object.keys(components?.dimensions ?? {}).length !== AJO_DIMENSIONS.length || Object.keys(components?.metrics ?? {}).length !== AJO_METRICS.length) {
    problems.push({ kind: "not-as-declared", detail: `data view ${live.id} lacks components of its template` });
  }
  const declaredNames = [...AJO_CALCULATED_METRICS.map((c) => c.name), EMAIL_SENDS.name, probeName(v)].sort();
  const liveNames = metrics.map((m) => m.name).sort();
  if (canonical(liveNames) !== canonical(declaredNames)) problems.push({ kind: "not-as-declared", detail: `calculated metrics ${JSON.stringify(liveNames)}, declared ${JSON.stringify(declaredNames)}` });
  if (filters.length !== 1 || filters[0].name !== EMAIL_FILTER.name || filters[0].dataId !== live.id) {
    problems.push({ kind: "not-as-declared", detail: `filters ${JSON.stringify(filters.map((f) => `${f.name} (${f.dataId})`))}, declared ["${EMAIL_FILTER.name} (${live.id})"]` });
  }
  for (const m of metrics) {
    if (m.dataId !== live.id) problems.push({ kind: "not-as-declared", detail: `calculated metric "${m.name}" (${m.id}) is in data view ${m.dataId}, not ${live.id}` });
    const declared = stateMetrics.current.find((r) => r.id === m.id);
    if (declared && canonical(m.definition) !== canonical(declared.outputs.definition)) {
      problems.push({ kind: "not-as-declared", detail: `calculated metric "${m.name}" has another definition than declared` });
    }
  }
  return problems;
}
