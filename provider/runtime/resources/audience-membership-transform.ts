import { z } from "zod";
import * as audiences from "../../adobe/aep/audiences";
import * as datasets from "../../adobe/aep/datasets";
import * as queries from "../../adobe/aep/queries";
import { isNotFound } from "../../adobe/errors";
import { adobeClient } from "../client";
import { keyOf, onlyOwn, ownershipMarkOf, withOwnershipMark } from "../ownership";
import { canonicalJson, defineResource } from "../resource-handler";
import { audienceId, datasetId, membershipStatuses, nonEmpty, pollIntervalSeconds, timeoutSeconds, triggers } from "../schemas";
import { progress, waitForFinal, WaitTimeoutError } from "../wait";

/** CJA's substring split keeps at most this many values of the comma-separated list. */
export const MAX_SPLIT_VALUES = 10;

export const audienceMembershipTransformInputs = z.strictObject({
  sourceDatasetId: datasetId,
  targetDatasetId: datasetId,
  audienceIds: z
    .array(audienceId)
    .min(1, "give at least one audience")
    .max(MAX_SPLIT_VALUES, `CJA's substring split keeps at most ${MAX_SPLIT_VALUES} values, so at most ${MAX_SPLIT_VALUES} audiences fit one multi-value dimension`)
    .refine((ids) => new Set(ids).size === ids.length, { message: "lists an audience twice" }),
  personIdField: nonEmpty.regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*|\[('[^']*'|\d+)\])*$/, "must be a column path like identityMap['Email'][0].id or _tenant.identification.core.email"),
  statuses: membershipStatuses,
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
  [key: string]: unknown;
}

const FINAL = new Set(["SUCCESS", "FAILED", "KILLED", "TIMEOUT"]);
const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The guide's transform: one row per person, the audience ids and their names joined with commas
 * (the value CJA's substring split turns into a multi-value dimension).
 */
export function membershipSql(p: { sourceTable: string; targetTable: string; personIdField: string; audiences: Array<{ id: string; name: string }>; statuses: string[] }): string {
  const ids = p.audiences.map((a) => quote(a.id)).join(", ");
  const names = p.audiences.map((a) => `WHEN ${quote(a.id)} THEN ${quote(a.name)}`).join(" ");
  return [
    `INSERT INTO ${p.targetTable}`,
    `SELECT personID,`,
    `       concat_ws(',', collect_set(key)) AS audienceMembershipId,`,
    `       concat_ws(',', collect_set(CASE key ${names} END)) AS audienceMembershipIdName`,
    `FROM (`,
    `  SELECT ${p.personIdField} AS personID, explode(segmentMembership.ups)`,
    `  FROM ${p.sourceTable}`,
    `)`,
    `WHERE value.status IN (${p.statuses.map(quote).join(", ")}) AND key IN (${ids})`,
    `GROUP BY personID`,
  ].join("\n");
}

/** The inputs whose change runs the query again: the key differs for each run they declare. */
const REPLACE_ON: ReadonlyArray<keyof Inputs & string> = ["sourceDatasetId", "targetDatasetId", "audienceIds", "personIdField", "statuses", "triggers"];

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

async function tableOf(datasetId: string, field: string): Promise<string> {
  const dataset = await datasets.getDataset(adobeClient(), datasetId);
  const table = dataset.tags?.["adobe/pqs/table"]?.[0];
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
    for (const id of inputs.audienceIds) named.push({ id, name: (await audiences.getAudience(client, id)).name ?? id });
    const sourceTable = await tableOf(inputs.sourceDatasetId, "sourceDatasetId");
    const targetTable = await tableOf(inputs.targetDatasetId, "targetDatasetId");
    const sql = membershipSql({ sourceTable, targetTable, personIdField: inputs.personIdField, audiences: named, statuses: inputs.statuses });
    // A query an earlier run submitted for this run (killed before it was recorded) is waited for,
    // not submitted again: the INSERT would write its rows twice. After an ambiguous failure of the
    // POST, the query is the one with this key (or this SQL) that was not there before.
    const key = queryKey(owner, inputs);
    const recent = await queries.listRecentQueries(client);
    const before = new Set(recent.map((q) => q.id));
    const description = "personID, audienceMembershipId, audienceMembershipIdName for Customer Journey Analytics";
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
    return {
      id: query.id,
      outs: { ...inputs, queryId: query.id, state: final.state, sql, sourceTable, targetTable, audienceNames: named.map((a) => a.name) },
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
