/**
 * What is already in Adobe, and what a person does in the Adobe UI, before the stack can run,
 * played on the local emulator (its admin routes where Adobe's public API cannot do it; Adobe's
 * public API, with the UI's own token, where the UI calls it):
 *
 * - AEP: audiences built in Segment Builder and profiles with their memberships (sample data);
 *   with `profileDataset: "ui"`, the audience-membership field group, schema and profile dataset
 *   a team made in the Schemas and Datasets UI (Step 4; the stack adopts them by name).
 * - CJA: the existing connection, with the profile dataset added (Step 5; with
 *   `profileDataset: "stack"` that comes after the stack made the dataset: `addProfileDatasetToConnection`);
 *   a template data view with the audience dimensions of the layout (Step 6).
 *
 * README.md lists the same steps for the real Adobe UI.
 */
import { LAYOUT_DIMENSIONS, MEMBERSHIP_FIELD_GROUP, MEMBERSHIP_SCHEMA, PROFILE_DATASET_IN_CONNECTION, type GuideDimension, type MembershipLayout } from "./guide";

/** A sample audience of the sandbox. */
export interface SampleAudience {
  id: string;
  name: string;
  description: string;
}

export const SAMPLE_AUDIENCES: readonly SampleAudience[] = [
  { id: "7a2e5c1b-1d3f-4a6b-9c8d-0e1f2a3b4c01", name: "Luma - Blue+ Members", description: "Loyalty members at Blue level or above" },
  { id: "7a2e5c1b-1d3f-4a6b-9c8d-0e1f2a3b4c02", name: "Luma - Gold Members", description: "Loyalty members at Gold level" },
  { id: "7a2e5c1b-1d3f-4a6b-9c8d-0e1f2a3b4c03", name: "Cart Abandoners", description: "Added to cart, no order in 7 days" },
  { id: "7a2e5c1b-1d3f-4a6b-9c8d-0e1f2a3b4c04", name: "Newsletter Subscribers", description: "An audience the stack does not bring into CJA" },
];

export type MembershipStatus = "realized" | "existing" | "exited";

/** A sample profile: its person id (e-mail) and its status in each audience (by audience name). */
export interface SampleProfile {
  email: string;
  memberships: Record<string, MembershipStatus>;
}

export const SAMPLE_PROFILES: readonly SampleProfile[] = [
  { email: "ann.lee@example.com", memberships: { "Luma - Blue+ Members": "realized", "Luma - Gold Members": "existing", "Cart Abandoners": "realized" } },
  { email: "bo.chen@example.com", memberships: { "Luma - Blue+ Members": "existing" } },
  { email: "cy.diaz@example.com", memberships: { "Luma - Gold Members": "exited", "Cart Abandoners": "existing" } },
  { email: "di.evans@example.com", memberships: { "Luma - Gold Members": "exited" } },
  { email: "ed.fox@example.com", memberships: { "Newsletter Subscribers": "realized" } },
  { email: "flo.gray@example.com", memberships: { "Luma - Blue+ Members": "realized", "Newsletter Subscribers": "existing" } },
];

/** Fixed ids, so a set-up repeated on the same emulator (e.g. one with a state file) finds its own objects. */
export const AUDIENCES_UI_IDS = {
  connectionId: "dg_8b4d2f6a-3c5e-4a7b-9d1f-2e3a4b5c6d7e",
  templateDataViewId: "dv_5c3b1a9f8e7d6c5b4a3f2e1d",
  eventDatasetId: "62b2f0000000000000000002",
};

export interface AudiencesUiSetupOptions {
  /** AEP sandbox (the stack's `adobe:sandbox`). Default `prod`. */
  sandbox?: string;
  /** The profile field that holds the person id, in dot notation (the stack's `audiences-cja:personIdField`). */
  personIdField?: string;
  /**
   * Who makes Step 4's field group, schema and profile dataset: "ui" (a team, before the stack;
   * the stack adopts them) or "stack" (then the connection gets the dataset only once the stack
   * made it: `addProfileDatasetToConnection`).
   */
  profileDataset?: "ui" | "stack";
  /** The layout the template data view's audience dimensions read. */
  layout?: MembershipLayout;
  connectionName?: string;
  profileDatasetName?: string;
  templateDataViewName?: string;
  timezone?: string;
}

export const AUDIENCES_UI_DEFAULTS: Required<AudiencesUiSetupOptions> = {
  sandbox: "prod",
  personIdField: "personalEmail.address",
  profileDataset: "ui",
  layout: "commaSeparated",
  connectionName: "Web and profile data",
  profileDatasetName: "Audience Membership Profile Dataset",
  templateDataViewName: "Audiences template",
  timezone: "US/Mountain",
};

/** What the set-up made: the values the stack's config points at. */
export interface AudiencesUiSetup {
  orgId: string;
  sandbox: string;
  connectionId: string;
  connectionName: string;
  templateDataViewId: string;
  /** The profile dataset the UI made ("ui"), or undefined until the stack makes it ("stack"). */
  profileDatasetId?: string;
  profileDatasetName: string;
  /** `_<tenantId>` of the org. */
  tenantNamespace: string;
  profileDataset: "ui" | "stack";
  layout: MembershipLayout;
  personIdField: string;
  audiences: SampleAudience[];
}

function withPath(path: string, value: unknown): Record<string, unknown> {
  return path
    .split(".")
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

function audienceId(name: string): string {
  const found = SAMPLE_AUDIENCES.find((a) => a.name === name);
  if (!found) throw new Error(`no sample audience "${name}"`);
  return found.id;
}

/** A profile as the Profile store holds it: the person id at `personIdField`, the identity map, the memberships. */
export function profileRecord(p: SampleProfile, personIdField: string): Record<string, unknown> {
  return {
    ...withPath(personIdField, p.email),
    person: { name: { firstName: p.email.split(".")[0] } },
    identityMap: { Email: [{ id: p.email, primary: true }] },
    segmentMembership: {
      ups: Object.fromEntries(Object.entries(p.memberships).map(([name, status]) => [audienceId(name), { status, lastQualificationTime: "2024-05-01T08:00:00Z" }])),
    },
  };
}

/** A template dimension as the Data View Manager leaves it. */
function templateDimension(d: GuideDimension, ns: string, profileDatasetId: string | undefined): Record<string, unknown> {
  const schemaPath = d.schemaPath(ns);
  return {
    id: d.componentId,
    name: d.name,
    sourceFieldId: schemaPath,
    sourceFieldName: schemaPath,
    schemaPath,
    sourceFieldType: "string",
    type: "string",
    dataSetType: "profile",
    dataSetIds: profileDatasetId ? [profileDatasetId] : [],
    ...(d.substring
      ? { fieldDefinition: [{ func: "RAW_FIELD", field: schemaPath }, { func: "split", delimiter: d.substring.delimiter }], multiValued: true }
      : {}),
    ...(schemaPath.includes(".audienceMemberships.") ? { multiValued: true } : {}),
  };
}

type AdminAnswer = { status: number; body: unknown };
type Call = (method: string, path: string, body?: unknown, accept?: number[], headers?: Record<string, string>) => Promise<AdminAnswer>;

async function answer(res: Response, what: string, accept: number[]): Promise<AdminAnswer> {
  const text = await res.text();
  if (!accept.includes(res.status)) throw new Error(`${what} answered ${res.status}: ${text}`);
  return { status: res.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
}

function adminClient(baseUrl: string): Call {
  const root = `${baseUrl.replace(/\/+$/, "")}/_emulator`;
  return async (method, path, body, accept = [200, 201]) =>
    answer(
      await fetch(`${root}${path}`, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) }),
      `Emulator admin ${method} ${path}`,
      accept,
    );
}

/** Adobe's public API as the Experience Platform UI calls it, with the UI's own token. */
async function uiClient(baseUrl: string, orgId: string, sandbox: string): Promise<Call> {
  const root = baseUrl.replace(/\/+$/, "");
  const { clientId, accessToken } = (await adminClient(baseUrl)("POST", "/tokens/ui")).body as { clientId: string; accessToken: string };
  return async (method, path, body, accept = [200, 201], headers = {}) =>
    answer(
      await fetch(`${root}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${accessToken}`,
          "x-api-key": clientId,
          "x-gw-ims-org-id": orgId,
          "x-sandbox-name": sandbox,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
      `UI ${method} ${path}`,
      accept,
    );
}

const REGISTRY = "/data/foundation/schemaregistry";

/** The tenant resource titled `title`, if the Schemas UI already holds one. */
async function byTitle(ui: Call, kind: "fieldgroups" | "schemas", title: string): Promise<string | undefined> {
  const list = await ui("GET", `${REGISTRY}/tenant/${kind}?property=${encodeURIComponent(`title==${title}`)}`, undefined, [200], { accept: "application/vnd.adobe.xed-id+json" });
  return (list.body as { results: Array<{ $id: string; title?: string }> }).results.find((r) => r.title === title)?.$id;
}

/**
 * Step 4 as a team does it in the Schemas and Datasets UI: the field group (fields under the
 * tenant namespace), the Profile schema with `personID` as primary identity, enabled for
 * Profile, and the profile dataset on it, enabled for Profile. Returns the dataset's id.
 */
async function makeProfileDatasetInUi(ui: Call, ns: string, datasetName: string): Promise<string> {
  const fieldGroupId =
    (await byTitle(ui, "fieldgroups", MEMBERSHIP_FIELD_GROUP.title)) ??
    ((
      await ui("POST", `${REGISTRY}/tenant/fieldgroups`, {
        title: MEMBERSHIP_FIELD_GROUP.title,
        description: MEMBERSHIP_FIELD_GROUP.description,
        type: "object",
        "meta:intendedToExtend": ["https://ns.adobe.com/xdm/context/profile"],
        definitions: { audience: { properties: { [ns]: { type: "object", properties: MEMBERSHIP_FIELD_GROUP.fields } } } },
        allOf: [{ $ref: "#/definitions/audience" }],
      })
    ).body as { $id: string }).$id;
  let schemaId = await byTitle(ui, "schemas", MEMBERSHIP_SCHEMA.title);
  if (!schemaId) {
    schemaId = ((
      await ui("POST", `${REGISTRY}/tenant/schemas`, {
        title: MEMBERSHIP_SCHEMA.title,
        description: MEMBERSHIP_SCHEMA.description,
        type: "object",
        allOf: [{ $ref: "https://ns.adobe.com/xdm/context/profile" }, { $ref: fieldGroupId }],
      })
    ).body as { $id: string }).$id;
    await ui("POST", `${REGISTRY}/tenant/descriptors`, {
      "@type": "xdm:descriptorIdentity",
      "xdm:sourceSchema": schemaId,
      "xdm:sourceVersion": 1,
      "xdm:sourceProperty": `/${MEMBERSHIP_SCHEMA.primaryIdentity.path}`,
      "xdm:namespace": MEMBERSHIP_SCHEMA.primaryIdentity.namespace,
      "xdm:property": "xdm:code",
      "xdm:isPrimary": true,
    });
    await ui("PATCH", `${REGISTRY}/tenant/schemas/${encodeURIComponent(schemaId)}`, [{ op: "add", path: "/meta:immutableTags", value: ["union"] }]);
  }
  const existing = (await ui("GET", `/data/foundation/catalog/dataSets?name=${encodeURIComponent(datasetName)}`)).body as Record<string, unknown>;
  const found = Object.keys(existing)[0];
  if (found) return found;
  const created = await ui("POST", "/data/foundation/catalog/dataSets", {
    name: datasetName,
    description: "Profile dataset for CJA: personID and the audience memberships",
    schemaRef: { id: schemaId, contentType: "application/vnd.adobe.xed+json;version=1" },
    tags: { unifiedProfile: ["enabled:true"], unifiedIdentity: ["enabled:true"] },
  });
  return (created.body as string[])[0].replace(/^@\/dataSets\//i, "");
}

function connectionBody(settings: Required<AudiencesUiSetupOptions>, profileDatasetId: string | undefined) {
  return {
    name: settings.connectionName,
    description: "Web events and profile data",
    sandboxName: settings.sandbox,
    dataSets: [
      { dataSetId: AUDIENCES_UI_IDS.eventDatasetId, name: "Web Events", type: "event", timestampId: "timestamp", identityMap: true },
      ...(profileDatasetId
        ? [
            {
              dataSetId: profileDatasetId,
              name: settings.profileDatasetName,
              type: PROFILE_DATASET_IN_CONNECTION.type,
              visitorId: PROFILE_DATASET_IN_CONNECTION.personIdField,
              schemaInfo: { schemaName: MEMBERSHIP_SCHEMA.title },
            },
          ]
        : []),
    ],
  };
}

async function putTemplate(admin: Call, orgId: string, settings: Required<AudiencesUiSetupOptions>, ns: string, profileDatasetId: string | undefined): Promise<void> {
  const org = `/orgs/${encodeURIComponent(orgId)}`;
  const { connectionId, templateDataViewId } = AUDIENCES_UI_IDS;
  const dimensions = LAYOUT_DIMENSIONS[settings.layout].map((d) => templateDimension(d, ns, profileDatasetId));
  const existing = await admin("GET", `${org}/dataviews/${templateDataViewId}`, undefined, [200, 404]);
  if (existing.status === 404) {
    await admin("POST", `${org}/dataviews`, {
      id: templateDataViewId,
      name: settings.templateDataViewName,
      description: "Template with the audience dimensions; copied by the audiences-cja stack.",
      parentDataGroupId: connectionId,
      timezoneDesignator: settings.timezone,
      dimensions,
    });
  } else {
    await admin("PUT", `${org}/dataviews/${templateDataViewId}/components`, { replace: true, dimensions });
  }
}

/**
 * Plays the Adobe UI on the emulator at `emulator` (its base URL, or anything with a `url`, such
 * as a test emulator) for org `orgId`. Safe to repeat: audiences, the connection and the template
 * are replaced; profiles are added only the first time (when the connection is new).
 */
export async function setUpAudiencesInEmulator(emulator: string | { url: string }, orgId: string, options: AudiencesUiSetupOptions = {}): Promise<AudiencesUiSetup> {
  const settings = { ...AUDIENCES_UI_DEFAULTS, ...options };
  const baseUrl = typeof emulator === "string" ? emulator : emulator.url;
  const admin = adminClient(baseUrl);
  const ui = await uiClient(baseUrl, orgId, settings.sandbox);
  const org = `/orgs/${encodeURIComponent(orgId)}`;
  const aep = `${org}/sandboxes/${encodeURIComponent(settings.sandbox)}`;
  const { connectionId, templateDataViewId } = AUDIENCES_UI_IDS;
  const tenantId = ((await ui("GET", `${REGISTRY}/stats`)).body as { tenantId: string }).tenantId;
  const ns = `_${tenantId}`;

  // Audiences from Segment Builder and, the first time, the profiles with their memberships.
  await admin("POST", `${aep}/audiences`, {
    audiences: SAMPLE_AUDIENCES.map((a) => ({ ...a, expression: `segmentMembership.ups.${a.id}.status in ["realized", "existing"]` })),
  });
  const firstTime = (await admin("GET", `${org}/connections/${connectionId}`, undefined, [200, 404])).status === 404;
  if (firstTime) await admin("POST", `${aep}/profiles`, { profiles: SAMPLE_PROFILES.map((p) => profileRecord(p, settings.personIdField)) });

  // Step 4 in the UI, when the team did it; Step 5 (the connection, with the dataset if it exists); Step 6's template.
  const profileDatasetId = settings.profileDataset === "ui" ? await makeProfileDatasetInUi(ui, ns, settings.profileDatasetName) : undefined;
  await admin("PUT", `${org}/connections/${connectionId}`, connectionBody(settings, profileDatasetId));
  await putTemplate(admin, orgId, settings, ns, profileDatasetId);

  return {
    orgId,
    sandbox: settings.sandbox,
    connectionId,
    connectionName: settings.connectionName,
    templateDataViewId,
    profileDatasetId,
    profileDatasetName: settings.profileDatasetName,
    tenantNamespace: ns,
    profileDataset: settings.profileDataset,
    layout: settings.layout,
    personIdField: settings.personIdField,
    audiences: SAMPLE_AUDIENCES.map((a) => ({ ...a })),
  };
}

/** Step 5 after the stack made the profile dataset: a person adds it to the connection in the CJA UI. */
export async function addProfileDatasetToConnection(emulator: string | { url: string }, setup: AudiencesUiSetup, profileDatasetId: string): Promise<void> {
  const admin = adminClient(typeof emulator === "string" ? emulator : emulator.url);
  const settings = { ...AUDIENCES_UI_DEFAULTS, sandbox: setup.sandbox, connectionName: setup.connectionName, profileDatasetName: setup.profileDatasetName, layout: setup.layout };
  await admin("PUT", `/orgs/${encodeURIComponent(setup.orgId)}/connections/${setup.connectionId}`, connectionBody(settings, profileDatasetId));
  await putTemplate(admin, setup.orgId, settings, setup.tenantNamespace, profileDatasetId);
}

/** People joined, changed and left audiences: the Profile store now holds exactly `profiles`. */
export async function replaceProfilesInEmulator(emulator: string | { url: string }, setup: AudiencesUiSetup, profiles: readonly SampleProfile[]): Promise<void> {
  const admin = adminClient(typeof emulator === "string" ? emulator : emulator.url);
  await admin("POST", `/orgs/${encodeURIComponent(setup.orgId)}/sandboxes/${encodeURIComponent(setup.sandbox)}/profiles`, {
    profiles: profiles.map((p) => profileRecord(p, setup.personIdField)),
    replace: true,
  });
}
