/**
 * The emulator's Query Service engine. It runs exactly one statement shape, the audience
 * membership transform of the "AEP audiences into CJA" flow, and fails every other statement
 * the way Query Service reports a failed query (an entry in the query's `errors[]`).
 *
 * Supported SQL (keywords and identifiers case-insensitive, any whitespace between tokens,
 * optional trailing `;`, string literals in single quotes with `''` for a quote):
 *
 * ```sql
 * INSERT INTO <target_table>
 * SELECT personID,
 *        concat_ws(',', collect_set(key)) AS audienceMembershipId,
 *        concat_ws(',', collect_set(CASE key WHEN '<audience id 1>' THEN '<audience name 1>'
 *                                            WHEN '<audience id 2>' THEN '<audience name 2>' END)) AS audienceMembershipIdName
 * FROM (
 *   SELECT <person id column> AS personID, explode(segmentMembership.ups)
 *   FROM <source_table>
 * )
 * WHERE value.status IN ('realized', 'existing') AND key IN ('<audience id 1>', '<audience id 2>')
 * GROUP BY personID
 * ```
 *
 * - `<source_table>` / `<target_table>`: Query Service table names (a dataset's
 *   `tags["adobe/pqs/table"][0]`); the source is the export job's Profile Union dataset, the
 *   target the profile dataset the rows are appended to.
 * - `<person id column>`: a column path into the exported profile, dotted fields with optional
 *   `['map key']` and `[index]` parts, e.g. `personalEmail.address`, `_tenant.identification.core.email`,
 *   `identityMap['Email'][0].id`.
 * - The `WHEN` list may name any of the audiences (one or more `WHEN ... THEN ...`); the status
 *   list any of `realized`, `existing`, `exited`.
 *
 * Result: one row per person id that has at least one listed audience with a listed status:
 * `{ personID, audienceMembershipId: "<id>,<id>", audienceMembershipIdName: "<name>,<name>" }`.
 * Spark leaves the order inside `collect_set` unspecified; the emulator orders ids by their
 * position in the `key IN (...)` list and names in the same order, so both lists line up. Rows
 * without a person id are dropped (a profile dataset cannot take a record without its identity).
 */

/** A Query Service error entry (`errors[]` of a query). */
export interface SqlError {
  code: string;
  message: string;
}

/** The parts of a recognised audience membership transform. */
export interface MembershipTransform {
  targetTable: string;
  sourceTable: string;
  personIdPath: PathPart[];
  statuses: string[];
  audienceIds: string[];
  audienceNames: Map<string, string>;
}

/** One step of a column path: a struct field (case-insensitive) or a map key / array index. */
export type PathPart = { field: string } | { key: string } | { index: number };

export type ParseResult = { ok: true; transform: MembershipTransform } | { ok: false; error: SqlError };

const IDENT = "[A-Za-z_][A-Za-z0-9_]*";
const STR = "'(?:[^']|'')*'";
const PATH = `${IDENT}(?:\\s*\\.\\s*${IDENT}|\\s*\\[\\s*(?:${STR}|\\d+)\\s*\\])*`;
const STR_LIST = `${STR}(?:\\s*,\\s*${STR})*`;
const WHENS = `(?:\\s+WHEN\\s+${STR}\\s+THEN\\s+${STR})+`;

const TRANSFORM = new RegExp(
  [
    `^\\s*INSERT\\s+INTO\\s+(?<target>${IDENT})`,
    `\\s+SELECT\\s+personID\\s*,`,
    `\\s*concat_ws\\s*\\(\\s*','\\s*,\\s*collect_set\\s*\\(\\s*key\\s*\\)\\s*\\)\\s+AS\\s+audienceMembershipId\\s*,`,
    `\\s*concat_ws\\s*\\(\\s*','\\s*,\\s*collect_set\\s*\\(\\s*CASE\\s+key(?<whens>${WHENS})\\s+END\\s*\\)\\s*\\)\\s+AS\\s+audienceMembershipIdName`,
    `\\s+FROM\\s*\\(\\s*SELECT\\s+(?<person>${PATH})\\s+AS\\s+personID\\s*,\\s*explode\\s*\\(\\s*segmentMembership\\s*\\.\\s*ups\\s*\\)`,
    `\\s+FROM\\s+(?<source>${IDENT})\\s*\\)`,
    `\\s*WHERE\\s+value\\s*\\.\\s*status\\s+IN\\s*\\(\\s*(?<statuses>${STR_LIST})\\s*\\)`,
    `\\s+AND\\s+key\\s+IN\\s*\\(\\s*(?<ids>${STR_LIST})\\s*\\)`,
    `\\s+GROUP\\s+BY\\s+personID\\s*;?\\s*$`,
  ].join(""),
  "i",
);

const SQL_STATEMENTS = new Set([
  "SELECT", "INSERT", "CREATE", "WITH", "DROP", "ALTER", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "SET", "BEGIN",
  "COMMIT", "ROLLBACK", "UPDATE", "DELETE", "TRUNCATE", "VALUES", "MERGE", "ANALYZE", "COPY", "DECLARE", "FETCH",
]);

function stringLiterals(list: string): string[] {
  return [...list.matchAll(new RegExp(STR, "g"))].map((m) => m[0].slice(1, -1).replace(/''/g, "'"));
}

function parsePath(path: string): PathPart[] {
  const parts: PathPart[] = [];
  const re = new RegExp(`(${IDENT})|\\[\\s*(${STR}|\\d+)\\s*\\]`, "g");
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) parts.push({ field: m[1] });
    else if (m[2].startsWith("'")) parts.push({ key: m[2].slice(1, -1).replace(/''/g, "'") });
    else parts.push({ index: Number(m[2]) });
  }
  return parts;
}

/** Recognises the supported transform, or says why the statement cannot run. */
export function parseSql(sql: string): ParseResult {
  const m = TRANSFORM.exec(sql);
  if (m?.groups) {
    const g = m.groups;
    const audienceNames = new Map<string, string>();
    const whens = stringLiterals(g.whens);
    for (let i = 0; i + 1 < whens.length; i += 2) if (!audienceNames.has(whens[i])) audienceNames.set(whens[i], whens[i + 1]);
    return {
      ok: true,
      transform: {
        targetTable: g.target,
        sourceTable: g.source,
        personIdPath: parsePath(g.person),
        statuses: stringLiterals(g.statuses),
        audienceIds: [...new Set(stringLiterals(g.ids))],
        audienceNames,
      },
    };
  }
  const firstToken = /^\s*([^\s(;]+)/.exec(sql)?.[1] ?? "";
  if (!SQL_STATEMENTS.has(firstToken.toUpperCase())) {
    return { ok: false, error: { code: "42601", message: `ErrorCode: 42601 syntax error at or near "${firstToken}"` } };
  }
  return {
    ok: false,
    error: {
      code: "0A000",
      message:
        "ErrorCode: 0A000 feature not supported: the emulator runs only the audience membership transform " +
        "(INSERT INTO <table> SELECT personID, concat_ws(',', collect_set(key)) AS audienceMembershipId, ... GROUP BY personID)",
    },
  };
}

/** Error for a table that no dataset of the sandbox carries. */
export function tableNotFound(table: string): SqlError {
  return { code: "42P01", message: `ErrorCode: 42P01 relation "${table}" does not exist` };
}

function step(value: unknown, part: PathPart): unknown {
  if (value === null || value === undefined) return undefined;
  if ("index" in part) return Array.isArray(value) ? value[part.index] : undefined;
  if (typeof value !== "object" || Array.isArray(value)) return undefined;
  const obj = value as Record<string, unknown>;
  if ("key" in part) return obj[part.key];
  if (part.field in obj) return obj[part.field];
  const lower = part.field.toLowerCase();
  const found = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : obj[found];
}

/** Reads a column path from a row (struct fields case-insensitive, as Spark resolves them). */
export function readColumn(row: unknown, path: PathPart[]): unknown {
  return path.reduce<unknown>((value, part) => step(value, part), row);
}

/** Runs a recognised transform over the source rows and returns the rows it inserts. */
export function runTransform(transform: MembershipTransform, sourceRows: Record<string, unknown>[]): Record<string, unknown>[] {
  const wantedIds = new Map(transform.audienceIds.map((id, i) => [id, i]));
  const statuses = new Set(transform.statuses);
  const membersByPerson = new Map<string, { personID: unknown; ids: Set<string> }>();
  for (const row of sourceRows) {
    const personID = readColumn(row, transform.personIdPath);
    if (personID === undefined || personID === null) continue;
    const memberships = readColumn(row, [{ field: "segmentMembership" }, { field: "ups" }]);
    if (!memberships || typeof memberships !== "object") continue;
    const personKey = JSON.stringify(personID);
    for (const [key, value] of Object.entries(memberships as Record<string, unknown>)) {
      const status = readColumn(value, [{ field: "status" }]);
      if (!wantedIds.has(key) || typeof status !== "string" || !statuses.has(status)) continue;
      const entry = membersByPerson.get(personKey) ?? { personID, ids: new Set<string>() };
      entry.ids.add(key);
      membersByPerson.set(personKey, entry);
    }
  }
  return [...membersByPerson.values()].map(({ personID, ids }) => {
    const ordered = [...ids].sort((a, b) => wantedIds.get(a)! - wantedIds.get(b)!);
    const names = [...new Set(ordered.map((id) => transform.audienceNames.get(id)).filter((n): n is string => n !== undefined))];
    return { personID, audienceMembershipId: ordered.join(","), audienceMembershipIdName: names.join(",") };
  });
}
