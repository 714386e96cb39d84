import { z } from "zod";
import { audienceById } from "../audience-reads";
import * as batches from "../../adobe/aep/batches";
import * as datasets from "../../adobe/aep/datasets";
import * as queries from "../../adobe/aep/queries";
import { isNotFound } from "../../adobe/errors";
import { adobeClient } from "../client";
import { datasetById, datasetNow } from "../dataset-reads";
import { keyOf, onlyOwn, ownershipMarkOf, withOwnershipMark } from "../ownership";
import { canonicalJson, defineResource } from "../resource-handler";
import { audienceId, datasetId, membershipStatuses, nonEmpty, pollIntervalSeconds, timeoutSeconds, triggers } from "../schemas";
import { progress, waitForFinal, WaitTimeoutError } from "../wait";

/** The guide's limit: "there is currently a limit of 10 values in the array". */
export const MAX_SPLIT_VALUES = 10;

/** How a person's memberships are written: the guide's comma-joined strings, or its "best option", an array of objects. */
export const LAYOUTS = ["commaSeparated", "objectArray"] as const;
export type Layout = (typeof LAYOUTS)[number];

/** The fields the transform writes under the tenant namespace (`FieldGroup` fields of the same names). */
export const MEMBERSHIP_FIELDS = {
  ids: "audienceMembershipId",
  names: "audienceMembershipIdName",
  objects: "audienceMemberships",
} as const;

export const audienceMembershipTransformInputs = z.strictObject({
  sourceDatasetId: datasetId,
  sourceBatchId: nonEmpty.regex(/^[A-Za-z0-9_-]+$/, "must be a Catalog batch id (letters, digits, - and _), e.g. AudienceExportJob.batchId"),
  targetDatasetId: datasetId,
  tenantNamespace: nonEmpty.regex(/^_[A-Za-z0-9]+$/, "must be _ followed by the org's tenant id, e.g. FieldGroup.tenantNamespace (_acmecorp)"),
  audienceIds: z
    .array(audienceId)
    .min(1, "give at least one audience")
    .max(MAX_SPLIT_VALUES, `CJA keeps at most ${MAX_SPLIT_VALUES} values of a multi-value dimension (the guide's limit), so at most ${MAX_SPLIT_VALUES} audiences`)
    .refine((ids) => new Set(ids).size === ids.length, { message: "lists an audience twice" }),
  personIdField: nonEmpty.regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*|\[('[^']*'|\d+)\])*$/, "must be a column path like identityMap['Email'][0].id or _tenant.identification.core.email"),
  statuses: membershipStatuses,
  layout: z.enum(LAYOUTS).default("commaSeparated"),
  keepLatestBatchOnly: z.boolean().default(true),
  timeoutSeconds: timeoutSeconds(1800),
  pollIntervalSeconds: pollIntervalSeconds(10),
  triggers,
});

type Inputs = z.infer<typeof audienceMembershipTransformInputs>;
interface Outputs extends Inputs {
  queryId: string;
  state: string;
  sql: string;
  sourceTable: string;
  targetTable: string;
  audienceNames: string[];
  rowCount: number;
  deletedBatchIds: string[];
  [key: string]: unknown;
}

const FINAL = new Set(["SUCCESS", "FAILED", "KILLED", "TIMEOUT"]);
const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

export interface MembershipSqlParams {
  sourceTable: string;
  sourceBatchId: string;
  targetTable: string;
  tenantNamespace: string;
  personIdField: string;
  audiences: Array<{ id: string; name: string }>;
  statuses: string[];
  layout: Layout;
}

/**
 * The guide's Step 4 transform, one row per person: the memberships of this run's export batch
 * (one export appends a batch to the same dataset, so the batch is named: `_acp_batchid`, or the
 * input batch `_acp_system_metadata.acp_sourceBatchId`), and a row with none for every person the
 * target still shows as a member (who left every audience since). Fields go under the tenant
 * namespace, with `struct(...)` as Query Service writes nested fields.
 */
export function membershipSql(p: MembershipSqlParams): string {
  const ns = p.tenantNamespace;
  const names = p.audiences.map((a) => `WHEN ${quote(a.id)} THEN ${quote(a.name)}`).join(" ");
  const batch = quote(p.sourceBatchId);
  const f = MEMBERSHIP_FIELDS;
  const objects = p.layout === "objectArray";
  const current = objects
    ? `  SELECT personID, struct(key AS ${f.ids}, CASE key ${names} END AS ${f.names}) AS membership`
    : `  SELECT personID, key AS audienceId, CASE key ${names} END AS audienceName`;
  const cleared = objects ? "  SELECT personID, NULL AS membership" : "  SELECT personID, NULL AS audienceId, NULL AS audienceName";
  const stillMember = objects ? `size(${ns}.${f.objects}) > 0` : `${ns}.${f.ids} <> ''`;
  const select = objects
    ? [`SELECT personID, struct(array_sort(collect_set(membership)) AS ${f.objects}) AS ${ns}`]
    : [
        `SELECT personID, struct(concat_ws(',', array_sort(collect_set(audienceId))) AS ${f.ids},`,
        `                        concat_ws(',', array_sort(collect_set(audienceName))) AS ${f.names}) AS ${ns}`,
      ];
  return [
    `INSERT INTO ${p.targetTable}`,
    ...select,
    `FROM (`,
    current,
    `  FROM (`,
    `    SELECT ${p.personIdField} AS personID, explode(segmentMembership.ups)`,
    `    FROM ${p.sourceTable}`,
    `    WHERE (_acp_batchid = ${batch} OR _acp_system_metadata.acp_sourceBatchId = ${batch}) AND ${p.personIdField} IS NOT NULL`,
    `  )`,
    `  WHERE value.status IN (${p.statuses.map(quote).join(", ")}) AND key IN (${p.audiences.map((a) => quote(a.id)).join(", ")})`,
    `  UNION ALL`,
    cleared,
    `  FROM ${p.targetTable}`,
    `  WHERE ${stillMember}`,
    `)`,
    `GROUP BY personID`,
  ].join("\n");
}

/** The inputs whose change runs the query again: the key differs for each run they declare. */
const REPLACE_ON: ReadonlyArray<keyof Inputs & string> = [
  "sourceDatasetId",
  "sourceBatchId",
  "targetDatasetId",
  "tenantNamespace",
  "audienceIds",
  "personIdField",
  "statuses",
  "layout",
  "triggers",
];

/**
 * The query's ownership key: the declared resource and the inputs of this run, so the run a
 * `triggers` change asks for is never taken for an earlier one. Written in the description, which
 * Query Service keeps with the query (`request.description`).
 */
function queryKey(owner: string | undefined, inputs: Inputs): string | undefined {
  if (owner === undefined) return undefined;
  const run = Object.fromEntries(REPLACE_ON.map((key) => [key, inputs[key]]));
  return keyOf(adobeClient().orgId, `${owner}/${canonicalJson(run)}`);
}

/** The query an earlier run submitted for this run (it carries the key), among the recent ones; two fail with their ids. */
function ownQuery(recent: queries.Query[], key: string | undefined): queries.Query | undefined {
  if (key === undefined) return undefined;
  return onlyOwn(
    recent.filter((q) => ownershipMarkOf(q.request?.description) === key),
    { subject: "AudienceMembershipTransform", objects: "queries", key, remedy: "Their rows are in the target dataset twice; run pulumi up with a new triggers value once they ended." },
  );
}

/**
 * Keeps a dataset bounded: every batch but `keep` (default the newest, the one this run's INSERT
 * wrote into the profile dataset; for the export dataset, this run's export batch) is deleted, and
 * CJA removes a batch deleted in AEP from its connections. Both datasets hold the stack's rows
 * only. Run again after a crash, it deletes what is left.
 */
async function deleteOlderBatches(datasetId: string, keep?: string): Promise<string[]> {
  const client = adobeClient();
  const all = (await batches.listDatasetBatches(client, datasetId)).filter((b) => b.status === undefined || b.status === "success");
  const newest = keep ?? [...all].sort((a, b) => (a.created ?? 0) - (b.created ?? 0) || (a.completed ?? 0) - (b.completed ?? 0)).pop()?.id;
  const older = all.filter((b) => b.id !== newest).map((b) => b.id);
  for (const id of older) await batches.deleteBatch(client, id);
  return older;
}

async function tableOf(datasetId: string, field: string): Promise<string> {
  const tableIn = (d: datasets.Dataset) => d.tags?.["adobe/pqs/table"]?.[0];
  const known = await datasetById(datasetId);
  // Adobe adds the table with the dataset's first batch: one read before it (this run's own) is asked again.
  const dataset = tableIn(known) ? known : await datasetNow(datasetId);
  const table = tableIn(dataset);
  if (!table) throw new Error(`AudienceMembershipTransform: ${field} ${datasetId} ("${dataset.name}") has no Query Service table yet; Adobe creates it with the dataset's first batch.`);
  return table;
}

export const audienceMembershipTransformHandler = defineResource<Inputs, Outputs>({
  type: "aep:AudienceMembershipTransform",
  inputs: audienceMembershipTransformInputs,
  replaceOnChanges: REPLACE_ON,
  keyed: true,

  async create(inputs, { owner }) {
    const client = adobeClient();
    const named = [];
    for (const id of inputs.audienceIds) named.push({ id, name: (await audienceById(id)).name ?? id });
    const sourceTable = await tableOf(inputs.sourceDatasetId, "sourceDatasetId");
    const targetTable = await tableOf(inputs.targetDatasetId, "targetDatasetId");
    const sql = membershipSql({ ...inputs, sourceTable, targetTable, audiences: named });
    // A query an earlier run submitted for this run (killed before it was recorded) is waited for,
    // not submitted again: the INSERT would write its rows twice. After an ambiguous failure of the
    // POST, the query is the one with this key (or this SQL) that was not there before.
    const key = queryKey(owner, inputs);
    const recent = await queries.listRecentQueries(client);
    const before = new Set(recent.map((q) => q.id));
    const description = `personID and ${inputs.tenantNamespace} audience memberships for Customer Journey Analytics`;
    const query =
      ownQuery(recent, key) ??
      (await queries.createQuery(
        client,
        { dbName: `${client.sandbox}:all`, sql, name: `Audience membership into ${targetTable}`, description: key === undefined ? description : withOwnershipMark(description, key) },
        { recover: async () => (await queries.listRecentQueries(client)).find((q) => !before.has(q.id) && q.request?.sql === sql) },
      ));
    const label = `AudienceMembershipTransform: query ${query.id}`;
    let final: queries.Query;
    try {
      final = await waitForFinal({
        poll: () => queries.getQuery(client, query.id),
        current: query,
        isFinal: (q) => FINAL.has(q.state ?? ""),
        timeoutMs: inputs.timeoutSeconds * 1000,
        intervalMs: inputs.pollIntervalSeconds * 1000,
        onProgress: (q, elapsed) => progress(`${label} ${q.state} (${Math.round(elapsed / 1000)} s elapsed)`),
      });
    } catch (error) {
      if (error instanceof WaitTimeoutError) throw new Error(`${label} did not finish within ${inputs.timeoutSeconds} s; raise timeoutSeconds or look at the query in the AEP UI.`);
      throw error;
    }
    if (final.state !== "SUCCESS") {
      const errors = (final.errors ?? []).map((e) => `${e.code ?? "error"}: ${e.message ?? ""}`).join("; ");
      throw new Error(`${label} ended ${final.state}: ${errors || "Adobe gave no error detail"}`);
    }
    const deletedBatchIds = inputs.keepLatestBatchOnly ? [...(await deleteOlderBatches(inputs.targetDatasetId)), ...(await deleteOlderBatches(inputs.sourceDatasetId, inputs.sourceBatchId))] : [];
    return {
      id: query.id,
      outs: { ...inputs, queryId: query.id, state: final.state, sql, sourceTable, targetTable, audienceNames: named.map((a) => a.name), rowCount: final.rowCount ?? 0, deletedBatchIds },
    };
  },

  async read(id, outs) {
    try {
      const query = await queries.getQuery(adobeClient(), id);
      return { ...outs, state: query.state ?? outs.state };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  },

  async update(_id, olds, news) {
    return { ...olds, timeoutSeconds: news.timeoutSeconds, pollIntervalSeconds: news.pollIntervalSeconds };
  },

  async delete() {
    // Released only: the rows the query wrote stay in the target dataset.
  },
});
