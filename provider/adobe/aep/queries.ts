/**
 * AEP Query Service queries (platform.adobe.io/data/foundation/query/queries): create, get, list.
 */
import { z } from "zod";
import type { AdobeClient } from "../http";
import { enumValue, opt } from "../schema";

export const querySchema = z.looseObject({
  id: z.string(),
  /** SUBMITTED / IN_PROGRESS / SUCCESS / FAILED / KILLED / TIMEOUT. */
  state: opt(enumValue),
  request: opt(z.looseObject({ dbName: opt(z.string()), sql: opt(z.string()), name: opt(z.string()), description: opt(z.string()) })),
  effectiveSQL: opt(z.string()),
  isCTAS: opt(z.boolean()),
  isInsertInto: opt(z.boolean()),
  rowCount: opt(z.number()),
  elapsedTime: opt(z.number()),
  errors: opt(z.array(z.looseObject({ code: opt(z.string()), message: opt(z.string()), errorType: opt(z.string()) }))),
  created: opt(z.string()),
  updated: opt(z.string()),
});

export type Query = z.infer<typeof querySchema>;

/** Body of POST /queries (`query_def`): `sql` or `templateId` is required. */
export interface CreateQueryBody {
  /** `{sandbox}:all`, e.g. `prod:all`. */
  dbName: string;
  sql?: string;
  templateId?: string;
  name?: string;
  description?: string;
  queryParameters?: Record<string, string>;
  insertIntoParameters?: { datasetName: string };
  ctasParameters?: { datasetName: string; description?: string; targetSchemaTitle?: string };
}

/**
 * Submits a query (202). POST: repeated after an ambiguous failure only when `recover` found
 * nothing, since running an INSERT twice would write the rows twice.
 */
export async function createQuery(
  client: AdobeClient,
  body: CreateQueryBody,
  opts: { recover?: () => Promise<Query | undefined>; sandbox?: string } = {},
): Promise<Query> {
  return client.request({
    service: "aep",
    method: "POST",
    path: "/data/foundation/query/queries",
    body,
    schema: querySchema,
    recover: opts.recover,
    sandbox: opts.sandbox,
  });
}

/** One query with its state. @throws AdobeApiError 404 when it does not exist */
export async function getQuery(client: AdobeClient, queryId: string, opts: { sandbox?: string } = {}): Promise<Query> {
  return client.request({
    service: "aep",
    method: "GET",
    path: "/data/foundation/query/queries/{queryid}",
    pathParams: { queryid: queryId },
    schema: querySchema,
    sandbox: opts.sandbox,
  });
}

const queryListSchema = z.looseObject({ queries: z.array(querySchema) });

/** The most recently created queries of the sandbox, newest first (one page of `limit`, default 50). */
export async function listRecentQueries(client: AdobeClient, opts: { limit?: number; sandbox?: string } = {}): Promise<Query[]> {
  const page = await client.request({
    service: "aep",
    method: "GET",
    path: "/data/foundation/query/queries",
    query: { orderby: "-created", limit: opts.limit ?? 50 },
    schema: queryListSchema,
    sandbox: opts.sandbox,
  });
  return page.queries;
}
