import { SqlFailure } from "../../emulator/aep/sql/ast";
import { runQuery, type Row, type Table } from "../../emulator/aep/sql/evaluate";
import { parseStatement } from "../../emulator/aep/sql/parser";

const batch = (id: string) => ({ _acp_system_metadata: { acp_sourceBatchId: id } });
const EXPORT: Row[] = [
  { personalEmail: { address: "a@x" }, segmentMembership: { ups: { A: { status: "realized" }, B: { status: "exited" } } }, ...batch("b2") },
  { personalEmail: { address: "b@x" }, segmentMembership: { ups: { B: { status: "existing" } } }, ...batch("b2") },
  { personalEmail: { address: "c@x" }, segmentMembership: { ups: { A: { status: "existing" } } }, ...batch("b1") },
  { segmentMembership: { ups: { A: { status: "existing" } } }, ...batch("b2") },
];
const PROFILES: Row[] = [
  { personID: "c@x", _acme: { audienceMembershipId: "A", audienceMembershipIdName: "Alpha" } },
  { personID: "d@x", _acme: { audienceMembershipId: "", audienceMembershipIdName: "" } },
];
const TABLES: Record<string, Table> = {
  export: { rows: EXPORT, columns: ["personalEmail", "segmentMembership", "_acp_system_metadata"] },
  profiles: { rows: PROFILES, columns: ["personID", "_acme", "_acp_system_metadata"] },
};
const tables = (name: string) => TABLES[name.toLowerCase()];

function run(sql: string) {
  const statement = parseStatement(sql);
  return runQuery(statement.query, tables);
}
function failure(sql: string) {
  try {
    run(sql);
  } catch (error) {
    if (error instanceof SqlFailure) return error.error;
    throw error;
  }
  throw new Error("the statement ran");
}

describe("AEP emulator: Query Service SQL", () => {
  it("reads one batch, explodes the membership map, groups by person and keeps who left from the target", () => {
    const result = run(`INSERT INTO profiles
      SELECT personID, struct(concat_ws(',', array_sort(collect_set(audienceId))) AS audienceMembershipId,
                              concat_ws(',', array_sort(collect_set(audienceName))) AS audienceMembershipIdName) AS _acme
      FROM (
        SELECT personID, key AS audienceId, CASE key WHEN 'A' THEN 'Alpha' WHEN 'B' THEN 'Beta' END AS audienceName
        FROM (SELECT personalEmail.address AS personID, explode(segmentMembership.ups) FROM export
              WHERE _acp_system_metadata.acp_sourceBatchId = 'b2' AND personalEmail.address IS NOT NULL)
        WHERE value.status IN ('realized', 'existing') AND key IN ('A', 'B')
        UNION ALL
        SELECT personID, NULL AS audienceId, NULL AS audienceName FROM profiles WHERE _acme.audienceMembershipId <> ''
      )
      GROUP BY personID`);
    expect(result.columns).toEqual(["personID", "_acme"]);
    expect(result.rows).toEqual([
      { personID: "a@x", _acme: { audienceMembershipId: "A", audienceMembershipIdName: "Alpha" } },
      { personID: "b@x", _acme: { audienceMembershipId: "B", audienceMembershipIdName: "Beta" } },
      { personID: "c@x", _acme: { audienceMembershipId: "", audienceMembershipIdName: "" } },
    ]);
  });

  it("collects structs into a sorted array, and an empty one for a person with none", () => {
    const result = run(`SELECT personID, array_sort(collect_set(m)) AS ms FROM (
        SELECT personalEmail.address AS personID, struct(key AS id, value.status AS status) AS m FROM (
          SELECT personalEmail, explode(segmentMembership.ups) FROM export) WHERE value.status <> 'exited'
        UNION ALL SELECT personID, NULL FROM profiles) GROUP BY personID`);
    expect(result.rows).toEqual([
      { personID: "a@x", ms: [{ id: "A", status: "realized" }] },
      { personID: "b@x", ms: [{ id: "B", status: "existing" }] },
      { personID: "c@x", ms: [{ id: "A", status: "existing" }] },
      { personID: null, ms: [{ id: "A", status: "existing" }] },
      { personID: "d@x", ms: [] },
    ]);
  });

  it("treats a comparison with NULL as unknown and resolves fields in any case", () => {
    expect(run("SELECT PERSONALEMAIL.Address AS p FROM export WHERE personalEmail.address <> 'a@x'").rows).toEqual([{ p: "b@x" }, { p: "c@x" }]);
    expect(run("SELECT count(*) AS n, count(DISTINCT personalEmail.address) AS d FROM export").rows).toEqual([{ n: 4, d: 3 }]);
    expect(run("SELECT e.personalEmail.address AS p FROM export e WHERE NOT e.personalEmail.address IN ('a@x', 'b@x')").rows).toEqual([{ p: "c@x" }]);
  });

  it("fails as Query Service does for bad text, unknown tables, columns and functions, and ungrouped columns", () => {
    expect(failure("hello world")).toEqual({ code: "42601", message: 'ErrorCode: 42601 syntax error at or near "hello"' });
    expect(failure("SELECT * FROM nowhere")).toEqual({ code: "42P01", message: 'ErrorCode: 42P01 relation "nowhere" does not exist' });
    expect(failure("SELECT personId FROM export").code).toBe("42703");
    expect(failure("SELECT frobnicate(personalEmail) FROM export").code).toBe("42883");
    expect(failure("SELECT personalEmail.address, count(*) FROM export").code).toBe("42803");
    expect(failure("SELECT personID FROM profiles UNION ALL SELECT personID, _acme FROM profiles").code).toBe("42601");
  });
});
