/**
 * What `INSERT INTO` accepts: "the schema of the result of the SELECT statement must conform to
 * that of the table defined in the INSERT INTO statement" (Query Service SQL syntax). Each output
 * column must be a field of the target dataset's schema, matched by name as XDM fields are, and a
 * struct must bring only fields its schema object has; otherwise the query fails with Query
 * Service's "Error validating schema" (the system cannot locate a field within the schema).
 */
import type { XdmField } from "../xdm";
import type { SqlError } from "./ast";
import type { Result, Row } from "./evaluate";
import { SYSTEM_COLUMNS } from "../datasets";

function findField(fields: Record<string, XdmField>, name: string): [string, XdmField] | undefined {
  if (fields[name]) return [name, fields[name]];
  const lower = name.toLowerCase();
  return Object.entries(fields).find(([k]) => k.toLowerCase() === lower);
}

const schemaError = (dataset: string, path: string, why: string): SqlError => ({
  code: "58000",
  message: `ErrorCode: 58000 Error validating schema of dataset "${dataset}": ${path} ${why}`,
});

function checkValue(value: unknown, field: XdmField, path: string, dataset: string): SqlError | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (field.type !== "array") return schemaError(dataset, path, `is an array, the schema has ${field.type}`);
    for (const item of value) {
      const problem = field.items ? checkValue(item, field.items, `${path}[]`, dataset) : undefined;
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof value === "object") {
    if (field.type !== "object") return schemaError(dataset, path, `is a struct, the schema has ${field.type}`);
    for (const [key, inner] of Object.entries(value as Row)) {
      const found = findField(field.properties ?? {}, key);
      if (!found) return schemaError(dataset, `${path}.${key}`, "is not a field of the schema");
      const problem = checkValue(inner, found[1], `${path}.${found[0]}`, dataset);
      if (problem) return problem;
    }
    return undefined;
  }
  if (field.type === "object" || field.type === "array") return schemaError(dataset, path, `is a ${typeof value}, the schema has ${field.type}`);
  return undefined;
}

/** Drops NULLs (a Parquet null is an absent XDM field) and names fields as the schema does. */
function stored(value: unknown, field: XdmField | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => stored(v, field?.items));
  if (value === null || typeof value !== "object") return value;
  const out: Row = {};
  for (const [key, inner] of Object.entries(value as Row)) {
    if (inner === null || inner === undefined) continue;
    const found = field?.properties ? findField(field.properties, key) : undefined;
    out[found?.[0] ?? key] = stored(inner, found?.[1]);
  }
  return out;
}

/** The rows to append to the target, or the error the INSERT fails with. */
export function rowsToInsert(result: Result, fields: Record<string, XdmField>, dataset: string): { rows: Row[] } | { error: SqlError } {
  const columns = result.columns.filter((c) => !SYSTEM_COLUMNS.some((s) => s.toLowerCase() === c.toLowerCase()));
  // An unknown column fails the statement even when it selects no row, as analysis does.
  const targets: Array<[string, string, XdmField]> = [];
  for (const column of columns) {
    const found = findField(fields, column);
    if (!found) return { error: schemaError(dataset, column, "is not a field of the schema") };
    targets.push([column, ...found]);
  }
  const rows: Row[] = [];
  for (const row of result.rows) {
    const record: Row = {};
    for (const [column, name, field] of targets) {
      const problem = checkValue(row[column], field, name, dataset);
      if (problem) return { error: problem };
      if (row[column] !== null && row[column] !== undefined) record[name] = stored(row[column], field);
    }
    rows.push(record);
  }
  return { rows };
}
