/**
 * CJA connections (read only in Adobe's API): `GET /data/connections`, `GET /data/connections/{connectionId}`.
 */
import { z } from "zod";
import type { AdobeClient } from "../http";
import { enumValue, opt, ownerSchema } from "../schema";
import { collectPages, pageOf } from "./pages";

/** One dataset of a connection (`DataSetMetadata`). */
export const connectionDataSetSchema = z.looseObject({
  dataSetId: z.string(),
  name: opt(z.string()),
  domain: opt(z.string()),
  /** event / profile / lookup / summary, normalised to upper case. */
  type: opt(enumValue),
  timestampId: opt(z.string()),
  visitorId: opt(z.string()),
  identityNamespace: opt(z.string()),
  usePrimaryIdNamespace: opt(z.boolean()),
  identityMap: opt(z.boolean()),
  lookupKeyField: opt(z.string()),
  lookupParentFields: opt(z.array(z.string())),
  streaming: opt(z.boolean()),
  schemaInfo: opt(z.looseObject({ schemaId: opt(z.string()), schemaName: opt(z.string()) })),
});

export const connectionSchema = z.looseObject({
  id: z.string(),
  idWithoutPrefix: opt(z.string()),
  name: opt(z.string()),
  description: opt(z.string()),
  owner: opt(ownerSchema),
  dataSets: opt(z.array(connectionDataSetSchema)),
  sandboxId: opt(z.string()),
  sandboxName: opt(z.string()),
  organization: opt(z.string()),
  externalData: opt(z.looseObject({ externalId: opt(z.string()) })),
  modifiedDate: opt(z.string()),
  createdDate: opt(z.string()),
});

export type Connection = z.infer<typeof connectionSchema>;
export type ConnectionDataSet = z.infer<typeof connectionDataSetSchema>;

/** Expansion that returns what the Connection resource verifies. */
export const CONNECTION_EXPANSION = ["name", "description", "owner", "dataSets", "sandboxId", "sandboxName", "organization", "externalData", "createdDate", "modified"];

export interface ListConnectionsOptions {
  expansion?: string[];
  /** Only these connection ids. */
  connectionIds?: string[];
  /** Only connections that contain these datasets. */
  dataSetIds?: string[];
  sandboxName?: string;
  /** Page size; default 1000. */
  limit?: number;
}

/** Every connection visible to the credential (all pages). */
export async function listConnections(client: AdobeClient, opts: ListConnectionsOptions = {}): Promise<Connection[]> {
  const limit = opts.limit ?? 1000;
  return collectPages(
    (page) =>
      client.request({
        service: "cja",
        method: "GET",
        path: "/data/connections",
        query: {
          expansion: opts.expansion ?? CONNECTION_EXPANSION,
          connectionIds: opts.connectionIds,
          dataSetIds: opts.dataSetIds,
          sandboxName: opts.sandboxName,
          limit,
          page,
        },
        schema: pageOf(connectionSchema),
      }),
    limit,
  );
}

/** One connection by id (`dg_...`). @throws AdobeApiError 404 when it does not exist */
export async function getConnection(client: AdobeClient, connectionId: string, expansion: string[] = CONNECTION_EXPANSION): Promise<Connection> {
  return client.request({
    service: "cja",
    method: "GET",
    path: "/data/connections/{connectionId}",
    pathParams: { connectionId },
    query: { expansion },
    schema: connectionSchema,
  });
}
