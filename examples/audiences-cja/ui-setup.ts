/**
 * What is already in Adobe, and what a person does in the Adobe UI, before the stack can run,
 * played on the local emulator through its admin routes (Adobe's public API cannot do it):
 *
 * - AEP: audiences built in Segment Builder and profiles with their memberships (sample data);
 *   the profile dataset made on the audience-membership schema (guide Step 4).
 * - CJA: the existing connection, with the profile dataset added (Step 5); a template data view
 *   with the audience dimensions, the multi-audience one with its substring split (Step 6).
 *
 * README.md lists the same steps for the real Adobe UI.
 */
import { AUDIENCE_DIMENSIONS, PROFILE_DATASET_IN_CONNECTION, type GuideDimension } from "./guide";

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
  profileDatasetId: "62b2f0000000000000000001",
  eventDatasetId: "62b2f0000000000000000002",
};

export interface AudiencesUiSetupOptions {
  /** AEP sandbox (the stack's `adobe:sandbox`). Default `prod`. */
  sandbox?: string;
  /** The profile field that holds the person id, in dot notation (the stack's `audiences-cja:personIdField`). */
  personIdField?: string;
  /** XDM tenant id of the org (the `_tenant` of its custom schemas). */
  tenant?: string;
  connectionName?: string;
  profileDatasetName?: string;
  templateDataViewName?: string;
  timezone?: string;
}

export const AUDIENCES_UI_DEFAULTS: Required<AudiencesUiSetupOptions> = {
  sandbox: "prod",
  personIdField: "personalEmail.address",
  tenant: "aresprodvalidation",
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
  profileDatasetId: string;
  profileDatasetName: string;
  profileSchemaId: string;
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
function templateDimension(d: GuideDimension, profileDatasetId: string): Record<string, unknown> {
  return {
    id: d.componentId,
    name: d.name,
    sourceFieldId: d.schemaPath,
    sourceFieldName: d.schemaPath,
    schemaPath: d.schemaPath,
    sourceFieldType: "string",
    type: "string",
    dataSetType: "profile",
    dataSetIds: [profileDatasetId],
    ...(d.substring
      ? { fieldDefinition: [{ func: "RAW_FIELD", field: d.schemaPath }, { func: "split", delimiter: d.substring.delimiter }], multiValued: true }
      : {}),
  };
}

type AdminAnswer = { status: number; body: unknown };

function adminClient(baseUrl: string) {
  const root = `${baseUrl.replace(/\/+$/, "")}/_emulator`;
  return async (method: string, path: string, body?: unknown, accept: number[] = [200, 201]): Promise<AdminAnswer> => {
    const res = await fetch(`${root}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!accept.includes(res.status)) throw new Error(`Emulator admin ${method} ${path} answered ${res.status}: ${text}`);
    return { status: res.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
  };
}

/**
 * Plays the Adobe UI on the emulator at `emulator` (its base URL, or anything with a `url`, such
 * as a test emulator) for org `orgId`. Safe to repeat: audiences, the connection and the template
 * are replaced; profiles are added only together with the profile dataset, the first time.
 */
export async function setUpAudiencesInEmulator(emulator: string | { url: string }, orgId: string, options: AudiencesUiSetupOptions = {}): Promise<AudiencesUiSetup> {
  const settings = { ...AUDIENCES_UI_DEFAULTS, ...options };
  const admin = adminClient(typeof emulator === "string" ? emulator : emulator.url);
  const org = `/orgs/${encodeURIComponent(orgId)}`;
  const aep = `${org}/sandboxes/${encodeURIComponent(settings.sandbox)}`;
  const { connectionId, templateDataViewId, profileDatasetId, eventDatasetId } = AUDIENCES_UI_IDS;
  const profileSchemaId = `https://ns.adobe.com/${settings.tenant}/schemas/audience-membership`;

  // Audiences from Segment Builder, and the profile dataset made on the audience-membership schema.
  await admin("POST", `${aep}/audiences`, {
    audiences: SAMPLE_AUDIENCES.map((a) => ({ ...a, expression: `segmentMembership.ups.${a.id}.status in ["realized", "existing"]` })),
  });
  const dataset = await admin(
    "POST",
    `${aep}/datasets`,
    {
      datasets: [
        {
          id: profileDatasetId,
          name: settings.profileDatasetName,
          description: "Profile dataset for CJA: personID, audienceMembershipId, audienceMembershipIdName",
          schemaRef: { id: profileSchemaId, contentType: "application/vnd.adobe.xed+json;version=1" },
          tags: { unifiedProfile: ["enabled:true"], unifiedIdentity: ["enabled:true"] },
        },
      ],
    },
    [201, 409],
  );
  if (dataset.status === 201) {
    await admin("POST", `${aep}/profiles`, { profiles: SAMPLE_PROFILES.map((p) => profileRecord(p, settings.personIdField)) });
  }

  // The existing connection, with the profile dataset added (Step 5).
  await admin("PUT", `${org}/connections/${connectionId}`, {
    name: settings.connectionName,
    description: "Web events and profile data",
    sandboxName: settings.sandbox,
    dataSets: [
      { dataSetId: eventDatasetId, name: "Web Events", type: "event", timestampId: "timestamp", identityMap: true },
      {
        dataSetId: profileDatasetId,
        name: settings.profileDatasetName,
        type: PROFILE_DATASET_IN_CONNECTION.type,
        visitorId: PROFILE_DATASET_IN_CONNECTION.personIdField,
        schemaInfo: { schemaId: profileSchemaId, schemaName: "Audience Membership" },
      },
    ],
  });

  // The template data view with the audience dimensions (Step 6 and the multi-audience note).
  const dimensions = AUDIENCE_DIMENSIONS.map((d) => templateDimension(d, profileDatasetId));
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

  return {
    orgId,
    sandbox: settings.sandbox,
    connectionId,
    connectionName: settings.connectionName,
    templateDataViewId,
    profileDatasetId,
    profileDatasetName: settings.profileDatasetName,
    profileSchemaId,
    personIdField: settings.personIdField,
    audiences: SAMPLE_AUDIENCES.map((a) => ({ ...a })),
  };
}
