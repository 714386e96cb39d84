/**
 * An independent check of the audiences transform's SQL: Query Service's batch engine runs Spark
 * SQL, so the statement the provider writes (both layouts) runs in a real Apache Spark
 * (pyspark, `npm run setup:spark` via scripts/setup-spark.sh) over export and profile tables, and
 * in the emulator's SQL engine over the same rows; both must give the same rows, and those rows
 * must be each person's current memberships (who left cleared, nobody repeated, no row without a
 * person id). The emulator's own checks of a table's schema aside, this is where our engine is
 * measured against Spark rather than against our client.
 */
import { execFileSync } from "child_process";
import { existsSync, mkdtempSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { runQuery, type Row } from "../emulator/aep/sql/evaluate";
import { parseStatement } from "../emulator/aep/sql/parser";
import { membershipSql, type Layout } from "../provider/runtime/resources/audience-membership-transform";

const REPO = path.resolve(__dirname, "..");
const PYTHON = path.join(REPO, ".tools", "spark", "bin", "python");
const NS = "_acme";

const membership = (id: string, name: string) => ({ audienceMembershipId: id, audienceMembershipIdName: name });
const exported = (email: string | null, ups: Record<string, string>, batch: string): Row => ({
  personalEmail: { address: email },
  segmentMembership: { ups: Object.fromEntries(Object.entries(ups).map(([id, status]) => [id, { status }])) },
  _acp_system_metadata: { acp_sourceBatchId: batch },
  _ACP_BATCHID: batch,
});

const TABLES = [
  {
    name: "export_tbl",
    schema:
      "personalEmail STRUCT<address: STRING>, segmentMembership STRUCT<ups: MAP<STRING, STRUCT<status: STRING>>>, _acp_system_metadata STRUCT<acp_sourceBatchId: STRING>, _ACP_BATCHID STRING",
    rows: [
      exported("ann@x", { A: "realized", B: "exited", C: "existing" }, "b2"),
      exported("bob@x", { B: "existing", A: "existing" }, "b2"),
      exported("eve@x", { Z: "realized" }, "b2"),
      exported("cid@x", { A: "existing" }, "b1"),
      exported(null, { A: "existing" }, "b2"),
    ],
  },
  {
    name: "profile_tbl",
    schema: `personID STRING, ${NS} STRUCT<audienceMembershipId: STRING, audienceMembershipIdName: STRING, audienceMemberships: ARRAY<STRUCT<audienceMembershipId: STRING, audienceMembershipIdName: STRING>>>`,
    rows: [
      { personID: "cid@x", [NS]: { ...membership("A", "Alpha"), audienceMemberships: [membership("A", "Alpha")] } },
      { personID: "dee@x", [NS]: { audienceMembershipId: "", audienceMembershipIdName: "", audienceMemberships: [] } },
      { personID: "ann@x", [NS]: { ...membership("B", "Beta"), audienceMemberships: [membership("B", "Beta")] } },
    ],
  },
];

const AUDIENCES = [
  { id: "A", name: "Alpha" },
  { id: "B", name: "Beta" },
  { id: "C", name: "O'Connor's" },
];

/** What each layout must write: ann and bob's current memberships of batch b2, cid cleared (left since), dee not again, eve never a member. */
const EXPECTED: Record<Layout, Row[]> = {
  commaSeparated: [
    { personID: "ann@x", [NS]: { audienceMembershipId: "A,C", audienceMembershipIdName: "Alpha,O'Connor's" } },
    { personID: "bob@x", [NS]: { audienceMembershipId: "A,B", audienceMembershipIdName: "Alpha,Beta" } },
    { personID: "cid@x", [NS]: { audienceMembershipId: "", audienceMembershipIdName: "" } },
  ],
  objectArray: [
    { personID: "ann@x", [NS]: { audienceMemberships: [membership("A", "Alpha"), membership("C", "O'Connor's")] } },
    { personID: "bob@x", [NS]: { audienceMemberships: [membership("A", "Alpha"), membership("B", "Beta")] } },
    { personID: "cid@x", [NS]: { audienceMemberships: [] } },
  ],
};

const LAYOUTS: Layout[] = ["commaSeparated", "objectArray"];

/** The transform's SELECT (the INSERT's target is a table here, not an XDM dataset, so only its rows are compared). */
function transformQuery(layout: Layout): string {
  const sql = membershipSql({
    sourceTable: "export_tbl",
    sourceBatchId: "b2",
    targetTable: "profile_tbl",
    tenantNamespace: NS,
    personIdField: "personalEmail.address",
    audiences: AUDIENCES,
    statuses: ["realized", "existing"],
    layout,
  });
  return sql.replace(/^INSERT INTO profile_tbl\n/, "");
}

const byPerson = (rows: Row[]) => [...rows].sort((a, b) => String(a.personID).localeCompare(String(b.personID)));

function inSpark(queries: string[]): Array<Row[] | { error: string }> {
  if (!existsSync(PYTHON)) throw new Error("No .tools/spark: run `bash scripts/setup-spark.sh` (npm run test:cli runs it).");
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "spark-sql-")), "spec.json");
  writeFileSync(file, JSON.stringify({ tables: TABLES, queries }));
  const out = execFileSync(PYTHON, [path.join(REPO, "tools", "spark", "run_sql.py"), file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "ignore"] });
  return (JSON.parse(out.trim().split("\n").pop()!) as { results: Array<Row[] | { error: string }> }).results;
}

function inEmulator(sql: string): Row[] {
  const tables = (name: string) => {
    const t = TABLES.find((x) => x.name.toLowerCase() === name.toLowerCase());
    return t && { rows: t.rows, columns: t.schema.split(/,\s*(?![^<]*>)/).map((c) => c.trim().split(/\s+/)[0]) };
  };
  return runQuery(parseStatement(sql).query, tables).rows;
}

describe("the transform's SQL in Apache Spark and in the emulator", () => {
  let spark: Array<Row[] | { error: string }>;

  beforeAll(() => {
    spark = inSpark(LAYOUTS.map(transformQuery));
  });

  it.each(LAYOUTS)("%s: Spark runs it and writes each person's current memberships", (layout) => {
    const rows = spark[LAYOUTS.indexOf(layout)];
    expect(rows).not.toHaveProperty("error");
    expect(byPerson(rows as Row[])).toEqual(EXPECTED[layout]);
  });

  it.each(LAYOUTS)("%s: the emulator's engine gives the same rows as Spark", (layout) => {
    expect(byPerson(inEmulator(transformQuery(layout)))).toEqual(byPerson(spark[LAYOUTS.indexOf(layout)] as Row[]));
  });
});
