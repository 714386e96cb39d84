/**
 * What the AEP resource tests start from: audiences built in Segment Builder, profiles in the
 * Profile store with their memberships, and datasets made in the AEP UI, all seeded through the
 * emulator's AEP admin routes. Plus readers for what Adobe's side ended up with.
 */
import { TEST_ORG, TEST_SANDBOX, type TestEmulator } from "../helpers/emulator";
import type { Props } from "./support";

/** Admin path of the test sandbox's AEP routes, relative to `/_emulator`. */
export const SANDBOX_ADMIN = `/orgs/${encodeURIComponent(TEST_ORG)}/sandboxes/${TEST_SANDBOX}`;

export const PROFILE_UNION = "_xdm.context.profile__union";
/** The export column that holds the id CJA uses as person ID. */
export const PERSON_ID_FIELD = "personalEmail.address";

export const GOLD = { id: "3f1c9a52-7b1e-4c8a-9d2f-0a1b2c3d4e01", name: "Gold Members" };
export const CART = { id: "3f1c9a52-7b1e-4c8a-9d2f-0a1b2c3d4e02", name: "Cart Abandoners" };
export const LAPSED = { id: "3f1c9a52-7b1e-4c8a-9d2f-0a1b2c3d4e03", name: "Lapsed Buyers" };
export const AUDIENCES = [GOLD, CART, LAPSED];

type Status = "realized" | "existing" | "exited";

function profile(email: string, memberships: Array<[{ id: string }, Status]>): Props {
  return {
    personalEmail: { address: email },
    person: { name: { firstName: email.split("@")[0] } },
    identityMap: { Email: [{ id: email, primary: true }] },
    segmentMembership: { ups: Object.fromEntries(memberships.map(([a, status]) => [a.id, { status, lastQualificationTime: "2024-05-01T00:00:00Z" }])) },
  };
}

/**
 * Five profiles: ann is in Gold and Cart, bob in Gold, cid left Gold (exited) and is in Lapsed,
 * dee is only in Lapsed, eve (existing) in Cart.
 */
export const PROFILES = [
  profile("ann@example.com", [
    [GOLD, "realized"],
    [CART, "existing"],
  ]),
  profile("bob@example.com", [[GOLD, "realized"]]),
  profile("cid@example.com", [
    [GOLD, "exited"],
    [LAPSED, "realized"],
  ]),
  profile("dee@example.com", [[LAPSED, "existing"]]),
  profile("eve@example.com", [[CART, "existing"]]),
];

/** Emails of the profiles the export of `audiences` with statuses realized/existing must write. */
export function expectedMembers(audiences: Array<{ id: string }>): string[] {
  const ids = new Set(audiences.map((a) => a.id));
  return PROFILES.filter((p) =>
    Object.entries((p.segmentMembership as { ups: Record<string, { status: Status }> }).ups).some(([id, m]) => ids.has(id) && m.status !== "exited"),
  )
    .map((p) => (p.personalEmail as { address: string }).address)
    .sort();
}

export interface SeededDataset {
  id: string;
  name: string;
  table: string;
}

/** The audiences and profiles of {@link AUDIENCES} and {@link PROFILES}. */
export async function seedAudiences(emu: TestEmulator): Promise<void> {
  await emu.admin("POST", `${SANDBOX_ADMIN}/audiences`, { audiences: AUDIENCES.map((a) => ({ ...a, expression: `segmentMembership.ups.${a.id}` })) });
  await emu.admin("POST", `${SANDBOX_ADMIN}/profiles`, { profiles: PROFILES });
}

/** A dataset someone made in the AEP UI. */
export async function seedDataset(emu: TestEmulator, name: string, schemaId: string, rows?: Props[]): Promise<SeededDataset> {
  const { datasets } = await emu.admin<{ datasets: SeededDataset[] }>("POST", `${SANDBOX_ADMIN}/datasets`, {
    datasets: [{ name, schemaRef: { id: schemaId, contentType: "application/vnd.adobe.xed+json;version=1" }, ...(rows ? { rows } : {}) }],
  });
  return datasets[0];
}

/** The rows batches wrote into a dataset (admin read). */
export async function rowsOf(emu: TestEmulator, datasetId: string): Promise<Props[]> {
  return (await emu.admin<{ rows: Props[] }>("GET", `${SANDBOX_ADMIN}/datasets/${datasetId}/rows`)).rows;
}

/** An export job as Segmentation's public API returns it. */
export async function exportJob(emu: TestEmulator, jobId: string | number): Promise<Props> {
  const res = await emu.call<Props>("GET", `/data/core/ups/export/jobs/${jobId}`);
  expect(res.status).toBe(200);
  return res.body;
}

/** Every export job of the sandbox, newest first. */
export async function exportJobs(emu: TestEmulator): Promise<Props[]> {
  const res = await emu.call<{ records: Props[] }>("GET", "/data/core/ups/export/jobs", { query: { limit: "100" } });
  expect(res.status).toBe(200);
  return res.body.records;
}

/** A Catalog dataset as the public API returns it, or undefined when Catalog answers 404. */
export async function catalogDataset(emu: TestEmulator, datasetId: string): Promise<Props | undefined> {
  const res = await emu.call<Record<string, Props>>("GET", `/data/foundation/catalog/dataSets/${datasetId}`);
  if (res.status === 404) return undefined;
  expect(res.status).toBe(200);
  return res.body[datasetId];
}

/** The person emails of exported rows, sorted. */
export function emailsOfRows(rows: Props[]): string[] {
  return rows.map((r) => (r.personalEmail as { address?: string } | undefined)?.address ?? "").sort();
}

const REGISTRY = "/data/foundation/schemaregistry";

/** A Profile schema made in the Schemas UI through Schema Registry's public API, as the fixtures' profile datasets use. */
export interface SeededSchema {
  schemaId: string;
  fieldGroupId: string;
  /** `_<tenantId>` of the test org. */
  tenantNamespace: string;
}

/**
 * The audience-membership schema: a field group with `fields` under the tenant namespace (default
 * the transform's fields of both layouts), class XDM Individual Profile, `personID` as primary
 * identity, enabled for Profile.
 */
export async function seedMembershipSchema(emu: TestEmulator, fields: Props = MEMBERSHIP_FIELDS, title = "Audience Membership"): Promise<SeededSchema> {
  const ok = async <T>(res: Promise<{ status: number; body: T }>, status: number): Promise<T> => {
    const r = await res;
    if (r.status !== status) throw new Error(`Schema Registry answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const { tenantId } = await ok(emu.call<{ tenantId: string }>("GET", `${REGISTRY}/stats`), 200);
  const tenantNamespace = `_${tenantId}`;
  const group = await ok(
    emu.call<{ $id: string }>("POST", `${REGISTRY}/tenant/fieldgroups`, {
      body: {
        title: `${title} fields`,
        description: "Audience fields for the tests",
        type: "object",
        "meta:intendedToExtend": ["https://ns.adobe.com/xdm/context/profile"],
        definitions: { audience: { properties: { [tenantNamespace]: { type: "object", properties: fields } } } },
        allOf: [{ $ref: "#/definitions/audience" }],
      },
    }),
    201,
  );
  const schema = await ok(
    emu.call<{ $id: string }>("POST", `${REGISTRY}/tenant/schemas`, {
      body: { title, description: "Audience membership schema for the tests", type: "object", allOf: [{ $ref: "https://ns.adobe.com/xdm/context/profile" }, { $ref: group.$id }] },
    }),
    201,
  );
  await ok(
    emu.call("POST", `${REGISTRY}/tenant/descriptors`, {
      body: {
        "@type": "xdm:descriptorIdentity",
        "xdm:sourceSchema": schema.$id,
        "xdm:sourceVersion": 1,
        "xdm:sourceProperty": "/personID",
        "xdm:namespace": "Email",
        "xdm:property": "xdm:code",
        "xdm:isPrimary": true,
      },
    }),
    201,
  );
  await ok(emu.call("PATCH", `${REGISTRY}/tenant/schemas/${encodeURIComponent(schema.$id)}`, { body: [{ op: "add", path: "/meta:immutableTags", value: ["union"] }] }), 200);
  return { schemaId: schema.$id, fieldGroupId: group.$id, tenantNamespace };
}

/** The transform's fields of both layouts, as XDM field definitions. */
export const MEMBERSHIP_FIELDS: Props = {
  audienceMembershipId: { type: "string" },
  audienceMembershipIdName: { type: "string" },
  audienceMemberships: { type: "array", items: { type: "object", properties: { audienceMembershipId: { type: "string" }, audienceMembershipIdName: { type: "string" } } } },
};

/** Batches of a dataset as Catalog lists them, oldest first. */
export async function batchesOf(emu: TestEmulator, datasetId: string): Promise<string[]> {
  const res = await emu.call<Record<string, Props>>("GET", "/data/foundation/catalog/batches", { query: { dataSet: datasetId, orderBy: "asc:created" } });
  expect(res.status).toBe(200);
  return Object.keys(res.body);
}
