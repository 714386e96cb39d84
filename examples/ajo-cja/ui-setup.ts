/**
 * What a person does in the Adobe UI before the stack can run, played on the local emulator
 * through its admin routes (Adobe's public API cannot do it): create the connection over the five
 * AJO datasets with the guide's settings, and a template data view with the guide's 13 dimensions
 * and 9 metrics. README.md lists the same steps for the real Adobe UI.
 */
import { AJO_DATASETS, AJO_DIMENSIONS, AJO_METRICS, IDENTITY_MAP, type GuideDataset } from "./guide";

/** What the set-up made: the values the stack's config points at. */
export interface AjoUiSetup {
  orgId: string;
  connectionId: string;
  connectionName: string;
  templateDataViewId: string;
  templateDataViewName: string;
  /** AEP dataset id by dataset name. */
  datasetIds: Record<string, string>;
  /**
   * The Admin Console user group of the org's analysts, which the stack shares its calculated
   * metrics and filter with (`ajo-cja:shareWithGroupId`). Groups live in the Admin Console, not in
   * CJA's API: the emulator holds none and takes any numeric id in a share, as it takes Adobe's.
   */
  analystGroupId: string;
}

export interface AjoUiSetupOptions {
  connectionName?: string;
  templateDataViewName?: string;
  timezone?: string;
}

/** Fixed ids, so a set-up repeated on the same emulator (e.g. one with a state file) replaces its own objects. */
export const AJO_UI_IDS = {
  connectionId: "dg_3c1e7a52-9b0d-4f6e-8a21-5d4c3b2a1f09",
  templateDataViewId: "dv_6a1f0c2e9b8d7a6c5e4f3a2b",
  datasetIds: {
    "AJO Message Feedback Event Dataset": "61a1f0000000000000000001",
    "AJO Email Tracking Experience Event Dataset": "61a1f0000000000000000002",
    "AJO Push Tracking Experience Event Dataset": "61a1f0000000000000000003",
    "Journey Step Events": "61a1f0000000000000000004",
    "AJO Entity Dataset": "61a1f0000000000000000005",
  } as Record<string, string>,
  analystGroupId: "700000001",
};

export const AJO_UI_DEFAULTS: Required<AjoUiSetupOptions> = {
  connectionName: "AJO datasets",
  templateDataViewName: "AJO template",
  timezone: "US/Mountain",
};

/** The connection's dataset as the connection editor leaves it. */
function connectionDataSet(ds: GuideDataset): Record<string, unknown> {
  const dataSetId = AJO_UI_IDS.datasetIds[ds.name];
  if (!dataSetId) throw new Error(`no dataset id for "${ds.name}"`);
  if (ds.type === "lookup") {
    return { dataSetId, name: ds.name, type: "lookup", lookupKeyField: ds.key, lookupParentFields: [ds.matchingKey] };
  }
  const person = ds.personIdField === IDENTITY_MAP ? { identityMap: true } : { visitorId: ds.personIdField };
  return { dataSetId, name: ds.name, type: "event", timestampId: "timestamp", ...person };
}

const fieldName = (schemaPath: string) => schemaPath.slice(schemaPath.lastIndexOf(".") + 1);

/** The 13 dimensions as the Data View Manager leaves them (component id = `variables/` + schema path). */
export function templateDimensions(): Record<string, unknown>[] {
  return AJO_DIMENSIONS.map((d) => ({
    id: `variables/${d.schemaPath}`,
    name: d.name,
    sourceFieldId: d.schemaPath,
    sourceFieldName: fieldName(d.schemaPath),
    schemaPath: d.schemaPath,
    type: "string",
    ...(d.contextLabels ? { contextLabels: d.contextLabels } : {}),
  }));
}

/** The 9 metrics with their include/exclude values. */
export function templateMetrics(): Record<string, unknown>[] {
  return AJO_METRICS.map((m) => ({
    id: m.componentId,
    name: m.name,
    description: m.description,
    sourceFieldId: m.schemaPath,
    sourceFieldName: fieldName(m.schemaPath),
    schemaPath: m.schemaPath,
    type: "int",
    includeExcludeSetting: {
      enabled: true,
      caseSensitive: true,
      match: m.includeExclude.match === "any" ? "or" : "and",
      type: "string",
      rules: m.includeExclude.rules.map((r) => ({ clause: r.clause, value: r.value })),
    },
  }));
}

type AdminAnswer = { status: number; body: unknown };

function adminClient(baseUrl: string, orgId: string) {
  const root = `${baseUrl.replace(/\/+$/, "")}/_emulator/orgs/${encodeURIComponent(orgId)}`;
  return async (method: string, path: string, body?: unknown, accept: number[] = [200, 201]): Promise<AdminAnswer> => {
    const res = await fetch(`${root}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text === "" ? undefined : JSON.parse(text);
    if (!accept.includes(res.status)) throw new Error(`Emulator admin ${method} ${path} answered ${res.status}: ${text}`);
    return { status: res.status, body: parsed };
  };
}

/**
 * Plays the Adobe UI on the emulator at `emulator` (its base URL, or anything with a `url`, such
 * as a test emulator) for org `orgId`. Safe to repeat: it replaces what an earlier run made.
 */
export async function setUpAjoInEmulator(emulator: string | { url: string }, orgId: string, options: AjoUiSetupOptions = {}): Promise<AjoUiSetup> {
  const settings = { ...AJO_UI_DEFAULTS, ...options };
  const admin = adminClient(typeof emulator === "string" ? emulator : emulator.url, orgId);
  const { connectionId, templateDataViewId } = AJO_UI_IDS;

  await admin("PUT", `/connections/${connectionId}`, {
    name: settings.connectionName,
    description: "Adobe Journey Optimizer datasets",
    sandboxName: "prod",
    dataSets: AJO_DATASETS.map(connectionDataSet),
  });

  const components = { dimensions: templateDimensions(), metrics: templateMetrics() };
  const existing = await admin("GET", `/dataviews/${templateDataViewId}`, undefined, [200, 404]);
  if (existing.status === 404) {
    await admin("POST", "/dataviews", {
      id: templateDataViewId,
      name: settings.templateDataViewName,
      description: "Template with the AJO dimensions and metrics; copied by the ajo-cja stack.",
      parentDataGroupId: connectionId,
      timezoneDesignator: settings.timezone,
      ...components,
    });
  } else {
    await admin("PUT", `/dataviews/${templateDataViewId}/components`, { replace: true, ...components });
  }

  return {
    orgId,
    connectionId,
    connectionName: settings.connectionName,
    templateDataViewId,
    templateDataViewName: settings.templateDataViewName,
    datasetIds: { ...AJO_UI_IDS.datasetIds },
    analystGroupId: AJO_UI_IDS.analystGroupId,
  };
}
