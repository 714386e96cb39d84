/**
 * CJA data views: list, get, create, update, delete, validate, copy
 * (`/data/dataviews`, `/data/dataviews/{dataViewId}`, `/data/dataviews/validate`, `/data/dataviews/copy/{dataViewId}`).
 */
import { z } from "zod";
import type { AdobeClient } from "../http";
import { enumValue, opt, ownerSchema } from "../schema";
import { collectPages, pageOf } from "./pages";

/** Session timeout rule; `func` and `granularity` normalised to upper case (`INACTIVITY`, `MINUTE`). */
export const sessionDefinitionSchema = z.looseObject({
  numPeriods: opt(z.number()),
  granularity: opt(enumValue),
  func: opt(enumValue),
  events: opt(z.array(z.string())),
});

export const dataViewSchema = z.looseObject({
  id: z.string(),
  name: opt(z.string()),
  description: opt(z.string()),
  owner: opt(ownerSchema),
  isDeleted: opt(z.boolean()),
  parentDataGroupId: opt(z.string()),
  segmentList: opt(z.array(z.string())),
  currentTimezoneOffset: opt(z.number()),
  timezoneDesignator: opt(z.string()),
  modifiedDate: opt(z.string()),
  createdDate: opt(z.string()),
  modifiedBy: opt(z.string()),
  organization: opt(z.string()),
  curationEnabled: opt(z.boolean()),
  sessionDefinition: opt(z.array(sessionDefinitionSchema)),
  externalData: opt(z.looseObject({ externalId: opt(z.string()), externalParentId: opt(z.string()) })),
  containerNames: opt(z.looseObject({ event: opt(z.string()), session: opt(z.string()), people: opt(z.string()) })),
});

export type DataView = z.infer<typeof dataViewSchema>;
export type SessionDefinition = z.infer<typeof sessionDefinitionSchema>;

/** The writable fields of a data view (create body; an update sends any subset). */
export interface DataViewBody {
  name?: string;
  description?: string;
  parentDataGroupId?: string;
  timezoneDesignator?: string;
  sessionDefinition?: Array<{ numPeriods: number; granularity: string; func: string; events?: string[] }>;
  organization?: string;
  externalData?: { externalId?: string; externalParentId?: string };
  containerNames?: { event?: string; session?: string; people?: string };
  segmentList?: string[];
  curationEnabled?: boolean;
  [field: string]: unknown;
}

/** Every expansion the spec allows on data views that describes configuration. */
export const DATA_VIEW_EXPANSION = [
  "name",
  "description",
  "owner",
  "isDeleted",
  "parentDataGroupId",
  "segmentList",
  "currentTimezoneOffset",
  "timezoneDesignator",
  "modified",
  "createdDate",
  "organization",
  "curationEnabled",
  "sessionDefinition",
  "externalData",
  "containerNames",
];

export interface ListDataViewsOptions {
  expansion?: string[];
  /** Only data views of this connection. */
  parentDataGroupId?: string;
  /** Only data views with these `externalData.externalId` values. */
  externalIds?: string[];
  externalParentIds?: string[];
  dataViewIds?: string[];
  /** Page size; default 100. */
  limit?: number;
}

/** Every matching data view (all pages). */
export async function listDataViews(client: AdobeClient, opts: ListDataViewsOptions = {}): Promise<DataView[]> {
  const limit = opts.limit ?? 100;
  return collectPages(
    (page) =>
      client.request({
        service: "cja",
        method: "GET",
        path: "/data/dataviews",
        query: {
          expansion: opts.expansion ?? DATA_VIEW_EXPANSION,
          parentDataGroupId: opts.parentDataGroupId,
          externalIds: opts.externalIds,
          externalParentIds: opts.externalParentIds,
          dataViewIds: opts.dataViewIds,
          limit,
          page,
        },
        schema: pageOf(dataViewSchema),
      }),
    limit,
  );
}

/** One data view. @throws AdobeApiError 404 when it does not exist */
export async function getDataView(client: AdobeClient, dataViewId: string, expansion: string[] = DATA_VIEW_EXPANSION): Promise<DataView> {
  return client.request({
    service: "cja",
    method: "GET",
    path: "/data/dataviews/{dataViewId}",
    pathParams: { dataViewId },
    query: { expansion },
    schema: dataViewSchema,
  });
}

export interface CreateDataViewOptions {
  expansion?: string[];
  /**
   * Finds a data view an earlier attempt may have created when the POST failed in a way where
   * Adobe may have acted (5xx, timeout, dropped connection). Without it such a failure is thrown.
   * `findByExternalId` gives a ready-made one when the body carries `externalData.externalId`.
   */
  recover?: () => Promise<DataView | undefined>;
}

/** Creates a data view (POST; repeated only after `recover` found nothing). */
export async function createDataView(client: AdobeClient, body: DataViewBody, opts: CreateDataViewOptions = {}): Promise<DataView> {
  return client.request({
    service: "cja",
    method: "POST",
    path: "/data/dataviews",
    query: { expansion: opts.expansion ?? DATA_VIEW_EXPANSION },
    body,
    schema: dataViewSchema,
    recover: opts.recover,
  });
}

/** A `recover` hook that looks the data view up by its `externalData.externalId`. */
export function findByExternalId(client: AdobeClient, externalId: string): () => Promise<DataView | undefined> {
  return async () => {
    const found = await listDataViews(client, { externalIds: [externalId] });
    return found.find((dv) => dv.externalData?.externalId === externalId);
  };
}

/** Partial update: only the fields in `body` change. */
export async function updateDataView(client: AdobeClient, dataViewId: string, body: DataViewBody, expansion: string[] = DATA_VIEW_EXPANSION): Promise<DataView> {
  return client.request({
    service: "cja",
    method: "PUT",
    path: "/data/dataviews/{dataViewId}",
    pathParams: { dataViewId },
    query: { expansion },
    body,
    schema: dataViewSchema,
  });
}

const deleteResultSchema = z.looseObject({ result: opt(z.string()), message: opt(z.string()) });
export type DeleteResult = z.infer<typeof deleteResultSchema>;

/** Deletes a data view. @throws AdobeApiError 404 when it does not exist */
export async function deleteDataView(client: AdobeClient, dataViewId: string): Promise<DeleteResult> {
  const result = await client.request({
    service: "cja",
    method: "DELETE",
    path: "/data/dataviews/{dataViewId}",
    pathParams: { dataViewId },
    schema: opt(deleteResultSchema),
  });
  return result ?? {};
}

export const validationSchema = z.looseObject({
  valid: z.boolean(),
  message: opt(z.string()),
  validator_version: opt(z.string()),
});
export type DataViewValidation = z.infer<typeof validationSchema>;

/** Asks Adobe whether a data view body is valid (writes nothing, so it is retried like a read). */
export async function validateDataView(client: AdobeClient, body: DataViewBody): Promise<DataViewValidation> {
  return client.request({
    service: "cja",
    method: "POST",
    path: "/data/dataviews/validate",
    body,
    schema: validationSchema,
    idempotent: true,
  });
}

/**
 * Copies a data view (Adobe names the copy `<name> (Copy)`). PUT in Adobe's API but it creates an
 * object, so it is treated as non-idempotent: pass `recover` to allow repeating it.
 */
export async function copyDataView(
  client: AdobeClient,
  dataViewId: string,
  opts: { expansion?: string[]; recover?: () => Promise<DataView | undefined> } = {},
): Promise<DataView> {
  return client.request({
    service: "cja",
    method: "PUT",
    path: "/data/dataviews/copy/{dataViewId}",
    pathParams: { dataViewId },
    query: { expansion: opts.expansion ?? DATA_VIEW_EXPANSION },
    schema: dataViewSchema,
    idempotent: false,
    recover: opts.recover,
  });
}
