import { parseSql, readColumn, runTransform } from "../../emulator/aep/query-engine";
import { membershipTransformSql } from "./aep-support";

const A = "52c26d0d-45f2-47a2-ab30-ed06abc981ff";
const B = "6f3a1c2e-0b4d-4e5f-8a9b-0c1d2e3f4a5b";

describe("AEP emulator: Query Service engine", () => {
  it("recognises the generated transform and extracts tables, person column, statuses, ids and names", () => {
    const sql = membershipTransformSql({
      targetTable: "audience_membership",
      sourceTable: "segment_export",
      personIdColumn: "identityMap['Email'][0].id",
      audiences: [
        { id: A, name: "O'Brien's fans" },
        { id: B, name: "Gold" },
      ],
      statuses: ["realized"],
    });
    const parsed = parseSql(sql);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.transform).toEqual({
      targetTable: "audience_membership",
      sourceTable: "segment_export",
      personIdPath: [{ field: "identityMap" }, { key: "Email" }, { index: 0 }, { field: "id" }],
      statuses: ["realized"],
      audienceIds: [A, B],
      audienceNames: new Map([
        [A, "O'Brien's fans"],
        [B, "Gold"],
      ]),
    });
  });

  it("accepts any whitespace, keyword case and a trailing semicolon", () => {
    const sql = membershipTransformSql({ targetTable: "t", sourceTable: "s", personIdColumn: "personalEmail.address", audiences: [{ id: A, name: "A" }] });
    const squeezed = `${sql.replace(/\s+/g, " ").toLowerCase().replace(A.toLowerCase(), A)};`;
    expect(parseSql(squeezed).ok).toBe(true);
    expect(parseSql(sql.replace(/\n/g, "\n\t  ")).ok).toBe(true);
  });

  it("answers 0A000 for other statements and 42601 for text that is not SQL", () => {
    expect(parseSql("SELECT * FROM segment_export")).toEqual({ ok: false, error: { code: "0A000", message: expect.stringContaining("feature not supported") } });
    const changed = membershipTransformSql({ targetTable: "t", sourceTable: "s", personIdColumn: "p", audiences: [{ id: A, name: "A" }] }).replace("GROUP BY personID", "");
    expect(parseSql(changed)).toMatchObject({ ok: false, error: { code: "0A000" } });
    expect(parseSql("hello world")).toEqual({ ok: false, error: { code: "42601", message: 'ErrorCode: 42601 syntax error at or near "hello"' } });
  });

  it("groups by person, keeps listed audiences with listed statuses, lines names up with ids and drops rows without a person id", () => {
    const parsed = parseSql(
      membershipTransformSql({
        targetTable: "t",
        sourceTable: "s",
        personIdColumn: "PersonalEmail.Address",
        audiences: [
          { id: B, name: "Gold" },
          { id: A, name: "Blue" },
        ],
      }),
    );
    if (!parsed.ok) throw new Error(parsed.error.message);
    const rows = runTransform(parsed.transform, [
      { personalEmail: { address: "ann@example.com" }, segmentMembership: { ups: { [A]: { status: "realized" }, [B]: { status: "existing" } } } },
      { personalEmail: { address: "bob@example.com" }, segmentMembership: { ups: { [A]: { status: "exited" }, other: { status: "realized" } } } },
      { personalEmail: { address: "ann@example.com" }, segmentMembership: { ups: { [A]: { status: "realized" } } } },
      { segmentMembership: { ups: { [A]: { status: "realized" } } } },
    ]);
    expect(rows).toEqual([{ personID: "ann@example.com", audienceMembershipId: `${B},${A}`, audienceMembershipIdName: "Gold,Blue" }]);
  });

  it("reads struct fields case-insensitively and map keys exactly", () => {
    const row = { IdentityMap: { Email: [{ id: "x@example.com" }] } };
    expect(readColumn(row, [{ field: "identitymap" }, { key: "Email" }, { index: 0 }, { field: "ID" }])).toBe("x@example.com");
    expect(readColumn(row, [{ field: "identityMap" }, { key: "email" }])).toBeUndefined();
  });
});
