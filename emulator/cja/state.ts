/**
 * The CJA slice of the emulator's state for one IMS org. Everything here is plain JSON so the
 * core can persist it to the state file; documents are kept in Adobe's wire shape (wire field
 * names, enums already normalised to the casing Adobe answers with).
 */
import type { EmulatorContext } from "../types";

/** `owner` as CJA reports it on data views and calculated metrics. */
export interface CjaOwner {
  imsUserId: string;
  ownerId: string;
  type: "imsUser" | "systemUser";
}

/** One dataset of a connection, wire names of `DataSetMetadata` in cja.json. */
export interface StoredDataSet {
  dataSetId: string;
  name: string;
  domain: string;
  /** `event` | `profile` | `lookup` | `summary`, lower case as Adobe answers. */
  type: string;
  timestampId?: string;
  visitorId?: string;
  identityNamespace?: string;
  usePrimaryIdNamespace?: boolean;
  identityMap?: boolean;
  lookupKeyField?: string;
  lookupParentFields?: string[];
  streaming?: boolean;
  schemaInfo?: { schemaId?: string; schemaName?: string; schemaRef?: { id?: string; contentType?: string } };
  [extra: string]: unknown;
}

/** A connection ("data group"), id `dg_<uuid>`. */
export interface StoredConnection {
  id: string;
  idWithoutPrefix: string;
  name: string;
  description?: string;
  owner: CjaOwner;
  organization: string;
  sandboxId: string;
  sandboxName: string;
  dataSets: StoredDataSet[];
  externalData?: { externalId?: string };
  createdDate: string;
  modifiedDate: string;
  modifiedBy: string;
  [extra: string]: unknown;
}

export interface SessionDefinition {
  numPeriods: number;
  granularity: string;
  func: string;
  events?: string[];
}

/** A data view, id `dv_` + 24 hex. */
export interface StoredDataView {
  id: string;
  name: string;
  description?: string;
  owner: CjaOwner;
  isDeleted: boolean;
  parentDataGroupId: string;
  segmentList: string[];
  timezoneDesignator: string;
  modifiedDate: string;
  modifiedBy: string;
  createdDate: string;
  organization: string;
  curationEnabled: boolean;
  sessionDefinition: SessionDefinition[];
  externalData: { externalId?: string; externalParentId?: string };
  containerNames: { event?: string; session?: string; people?: string };
  [extra: string]: unknown;
}

export type ComponentKind = "dimensions" | "metrics";

/**
 * A dimension or metric of a data view, as the person at the Adobe UI configured it. `id` keeps
 * its prefix (`variables/…`, `metrics/…`). `contextLabels` has no field in Adobe's public API and
 * is never returned by a public route.
 */
export interface StoredComponent {
  id: string;
  name: string;
  contextLabels?: string[];
  [setting: string]: unknown;
}

export interface DataViewComponents {
  dimensions: Record<string, StoredComponent>;
  metrics: Record<string, StoredComponent>;
}

/** A calculated metric; `type` and `polarity` lower case as Adobe answers. */
export interface StoredCalculatedMetric {
  id: string;
  name: string;
  description: string;
  dataId: string;
  owner: CjaOwner;
  polarity: string;
  precision: number;
  type: string;
  definition: Record<string, unknown>;
  created: string;
  modified: string;
}

export interface CjaOrgState {
  connections: Record<string, StoredConnection>;
  dataViews: Record<string, StoredDataView>;
  /** Keyed by data view id. */
  components: Record<string, DataViewComponents>;
  calculatedMetrics: Record<string, StoredCalculatedMetric>;
}

/** The CJA state of `org`, created empty on first use. */
export function cjaState(ctx: EmulatorContext, org: string): CjaOrgState {
  return ctx.state.org<CjaOrgState>("cja", org, () => ({
    connections: {},
    dataViews: {},
    components: {},
    calculatedMetrics: {},
  }));
}

/** The component maps of a data view, created empty on first use. */
export function componentsOf(state: CjaOrgState, dataViewId: string): DataViewComponents {
  let slot = state.components[dataViewId];
  if (!slot) {
    slot = { dimensions: {}, metrics: {} };
    state.components[dataViewId] = slot;
  }
  return slot;
}
