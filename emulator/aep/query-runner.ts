/**
 * What a Query Service query does when its run time is over: the statement is parsed and run by
 * the emulator's Spark SQL subset (sql/), against the sandbox's datasets by their Query Service
 * table names; an `INSERT INTO` appends its rows to the target dataset as one new batch, after
 * checking them against the target's XDM schema. Applied once, at the query's finish time.
 */
import type { EmulatorContext } from "../types";
import { appendBatch, datasetByTable, SYSTEM_COLUMNS, tableRows } from "./datasets";
import { SqlFailure, type SqlError } from "./sql/ast";
import { runQuery, type Table } from "./sql/evaluate";
import { rowsToInsert } from "./sql/insert";
import { parseStatement } from "./sql/parser";
import type { AepSandboxState, DatasetRecord, QueryRecord } from "./state";
import { schemaFields } from "./xdm";

/** When the query stops running. */
export function queryFinishTime(query: QueryRecord): number {
  return query.created + query.durationMs;
}

function failed(query: QueryRecord, at: number, error: SqlError, referencedDatasets: string[] = []): void {
  query.outcome = { state: "FAILED", at, rowCount: 0, errors: [{ ...error, errorType: "USER_ERROR" }], referencedDatasets };
}

/** The statement with Query Service's `$key` placeholders replaced from `queryParameters`. */
function effectiveSql(request: Record<string, unknown>): string {
  const sql = String(request.sql ?? "");
  const params = (request.queryParameters ?? {}) as Record<string, string>;
  return sql.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, key: string) => (Object.prototype.hasOwnProperty.call(params, key) ? params[key] : whole));
}

/** A dataset as a table: its rows and the columns its schema declares (or its rows have, when the emulator holds no such schema). */
function tableOf(state: AepSandboxState, dataset: DatasetRecord): Table {
  const rows = tableRows(state, dataset.id);
  const fields = dataset.schemaRef?.id ? schemaFields(state, dataset.imsOrg, dataset.schemaRef.id) : undefined;
  const columns = new Set<string>(fields ? Object.keys(fields) : rows.flatMap((r) => Object.keys(r)));
  for (const c of SYSTEM_COLUMNS) columns.add(c);
  return { rows, columns: [...columns] };
}

/** Runs the query once, when `now` is past its finish time (a killed query never runs). */
export function settleQuery(query: QueryRecord, state: AepSandboxState, ctx: EmulatorContext, now: number): void {
  if (query.outcome || query.killedAt !== undefined || now < queryFinishTime(query)) return;
  const at = queryFinishTime(query);
  ctx.state.touch();
  const read = new Set<string>();
  const tables = (name: string): Table | undefined => {
    const dataset = datasetByTable(state, name);
    if (!dataset) return undefined;
    read.add(dataset.id);
    return tableOf(state, dataset);
  };
  try {
    const statement = parseStatement(effectiveSql(query.request));
    const target = statement.kind === "insert" ? datasetByTable(state, statement.table) : undefined;
    if (statement.kind === "insert" && !target) return failed(query, at, { code: "42P01", message: `ErrorCode: 42P01 relation "${statement.table}" does not exist` });
    const result = runQuery(statement.query, tables);
    if (!target) {
      query.outcome = { state: "SUCCESS", at, rowCount: result.rows.length, errors: [], referencedDatasets: [...read] };
      return;
    }
    const fields = target.schemaRef?.id ? schemaFields(state, target.imsOrg, target.schemaRef.id) : undefined;
    if (!fields) return failed(query, at, { code: "58000", message: `ErrorCode: 58000 Error validating schema: dataset "${target.name}" has no schema the Schema Registry knows (${target.schemaRef?.id ?? "none"})` }, [...read]);
    const insert = rowsToInsert(result, fields, target.name);
    if ("error" in insert) return failed(query, at, insert.error, [...read, target.id]);
    appendBatch(state, target.id, insert.rows, { id: ctx.newId(32), at, client: "acp_foundation_query" });
    query.outcome = { state: "SUCCESS", at, rowCount: insert.rows.length, errors: [], referencedDatasets: [...new Set([...read, target.id])] };
  } catch (error) {
    if (error instanceof SqlFailure) return failed(query, at, error.error, [...read]);
    throw error;
  }
}
