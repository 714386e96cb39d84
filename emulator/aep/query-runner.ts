/**
 * What a Query Service query does when its run time is over: the statement is recognised by the
 * query engine and, when it is the supported transform, its rows are appended to the target
 * dataset. Applied once, at the query's finish time.
 */
import type { EmulatorContext } from "../types";
import { appendBatch, datasetByTable } from "./datasets";
import { parseSql, runTransform, tableNotFound, type SqlError } from "./query-engine";
import type { AepSandboxState, QueryRecord } from "./state";

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

/** Runs the query once, when `now` is past its finish time (a killed query never runs). */
export function settleQuery(query: QueryRecord, state: AepSandboxState, ctx: EmulatorContext, now: number): void {
  if (query.outcome || query.killedAt !== undefined || now < queryFinishTime(query)) return;
  const at = queryFinishTime(query);
  ctx.state.touch();
  const parsed = parseSql(effectiveSql(query.request));
  if (!parsed.ok) return failed(query, at, parsed.error);
  const { transform } = parsed;
  const source = datasetByTable(state, transform.sourceTable);
  if (!source) return failed(query, at, tableNotFound(transform.sourceTable));
  const target = datasetByTable(state, transform.targetTable);
  if (!target) return failed(query, at, tableNotFound(transform.targetTable), [source.id]);
  const rows = runTransform(transform, state.rows[source.id] ?? []);
  appendBatch(state, target.id, rows, ctx.newId(32), at);
  query.outcome = { state: "SUCCESS", at, rowCount: rows.length, errors: [], referencedDatasets: [source.id, target.id] };
}
