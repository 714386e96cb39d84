/**
 * Shared set-up for the CJA emulator tests: the person at the Adobe UI (admin routes) creating a
 * connection and a data view, and the documents they use.
 */
import { TEST_ORG, type TestEmulator } from "../helpers/emulator";

/** Admin path of an org's CJA routes, relative to `/_emulator`. */
export function orgAdmin(org = TEST_ORG): string {
  return `/orgs/${encodeURIComponent(org)}`;
}

export interface ConnectionDoc {
  id: string;
  name: string;
  dataSets: Record<string, unknown>[];
  [key: string]: unknown;
}

/** The AJO connection of Adobe's guide: four event datasets and the entity lookup dataset. */
export function ajoConnectionBody(name = "AJO connection"): Record<string, unknown> {
  const event = (dataSetId: string, dsName: string, visitorId?: string) => ({
    dataSetId,
    name: dsName,
    type: "EVENT",
    timestampId: "timestamp",
    ...(visitorId ? { visitorId } : { identityMap: true }),
    streaming: true,
    schemaInfo: { schemaId: `https://ns.adobe.com/test/schemas/${dataSetId}`, schemaName: `${dsName} schema` },
  });
  return {
    name,
    description: "AJO datasets",
    sandboxName: "prod",
    dataSets: [
      event("ds_feedback", "AJO Message Feedback Event Dataset"),
      event("ds_email", "AJO Email Tracking Experience Event Dataset"),
      event("ds_push", "AJO Push Tracking Experience Event Dataset"),
      event("ds_steps", "Journey Step Events", "_experience.journeyOrchestration.stepEvents.profileID"),
      {
        dataSetId: "ds_entity",
        name: "AJO Entity Dataset",
        type: "lookup",
        lookupKeyField: "_id",
        lookupParentFields: ["_experience.decisioning.propositions.scopeDetails.correlationID"],
      },
    ],
  };
}

/** Creates a connection in `org` through the admin API. */
export async function seedConnection(emulator: TestEmulator, body: Record<string, unknown> = ajoConnectionBody(), org = TEST_ORG): Promise<ConnectionDoc> {
  return emulator.admin<ConnectionDoc>("POST", `${orgAdmin(org)}/connections`, body);
}

/** A data view body as the provider sends it (request enums in upper case). */
export function dataViewBody(parentDataGroupId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "AJO data view",
    description: "Journey Optimizer reporting",
    parentDataGroupId,
    timezoneDesignator: "US/Mountain",
    sessionDefinition: [{ numPeriods: 30, granularity: "MINUTE", func: "INACTIVITY", events: [] }],
    ...overrides,
  };
}

export interface DataViewDoc {
  id: string;
  [key: string]: unknown;
}

/** Creates a data view through Adobe's public API. */
export async function createDataView(emulator: TestEmulator, parentDataGroupId: string, overrides: Record<string, unknown> = {}): Promise<DataViewDoc> {
  const res = await emulator.call<DataViewDoc>("POST", "/data/dataviews", { body: dataViewBody(parentDataGroupId, overrides) });
  if (res.status !== 200) throw new Error(`create data view answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The include/exclude setting of an AJO metric: "Equals `value`" (several values: any matches). */
export function equalsRule(...values: string[]): Record<string, unknown> {
  return {
    enabled: true,
    caseSensitive: true,
    match: values.length > 1 ? "or" : "and",
    type: "string",
    rules: values.map((value) => ({ clause: "equals", value })),
  };
}

/** Puts a metric on a data view through the admin API. */
export async function putMetric(emulator: TestEmulator, dataViewId: string, id: string, doc: Record<string, unknown>): Promise<Record<string, unknown>> {
  return emulator.admin("PUT", `${orgAdmin()}/dataviews/${dataViewId}/metrics/${encodeURIComponent(id)}`, doc);
}

/** Puts a dimension on a data view through the admin API. */
export async function putDimension(emulator: TestEmulator, dataViewId: string, id: string, doc: Record<string, unknown>): Promise<Record<string, unknown>> {
  return emulator.admin("PUT", `${orgAdmin()}/dataviews/${dataViewId}/dimensions/${encodeURIComponent(id)}`, doc);
}

/** Error body of CJA. */
export interface CjaErrorBody {
  errorCode: string;
  errorDescription: string;
  errorId: string;
}

/** A page of CJA's envelope. */
export interface Page<T> {
  content: T[];
  number: number;
  size: number;
  totalElements: number;
  totalPages: number;
  numberOfElements: number;
  first: boolean;
  last: boolean;
  firstPage: boolean;
  lastPage: boolean;
}
