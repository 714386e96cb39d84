/**
 * Adobe's guide "Ingest Adobe Experience Platform audiences into Customer Journey Analytics",
 * step by step, as data: the stack (`stack.ts`), the emulator set-up (`ui-setup.ts`) and the test
 * that checks the result all walk these tables, so each fact of the guide lives in one place.
 */

/** The Pulumi names of the stack's resources (`stack.ts`), one per guide object. */
export const RESOURCE_NAMES = {
  exportDataset: "audience-export",
  exportJob: "audiences",
  fieldGroup: "audience-membership",
  schema: "audience-membership",
  profileDataset: "audience-membership",
  transform: "audience-membership",
  connection: "audiences",
  dataView: "audiences",
} as const;

/** A resource of the stack, by type token and Pulumi name. */
export interface StackResource {
  type: "aep:Dataset" | "aep:FieldGroup" | "aep:Schema" | "aep:AudienceExportJob" | "aep:AudienceMembershipTransform" | "cja:Connection" | "cja:DataView" | "cja:Dimension";
  name: string;
}

/** One step of the guide, and who carries it out. */
export interface GuideStep {
  step: number;
  title: string;
  /** What a person does in the Adobe UI first, because Adobe's API cannot (README.md says how); none when the stack does it all. */
  inTheUi?: string;
  /** The resources that carry the step out, or verify what the UI did. */
  resources: StackResource[];
}

/** Step 2: the export target must use the Profile union schema (the UI cannot create such a dataset). */
export const EXPORT_SCHEMA = "_xdm.context.profile__union";

/** Step 3/4: "The status has to be 'realized', or 'entered', but not 'exited'" (`entered` is Adobe's `existing`). */
export const MEMBERSHIP_STATUSES: ReadonlyArray<"realized" | "existing"> = ["realized", "existing"];

/**
 * Step 4: the fields of the profile dataset, as the transform writes them. `personID` is a field
 * of the XDM Individual Profile class; the audience fields are custom, so XDM keeps them under the
 * org's tenant namespace (`_<tenantId>`, the guide's `_aresprodvalidation`).
 */
export const PROFILE_FIELDS = {
  /** "The standard XDM schema field on Profile datasets to identify the person." */
  personId: "personID",
  /** "The audience ID from the export." */
  audienceId: "audienceMembershipId",
  /** "A friendly name for the audience." */
  audienceName: "audienceMembershipIdName",
  /** The multi-audience "best option": an array of objects, each with the two fields above. */
  memberships: "audienceMemberships",
} as const;

/** Step 4: the field group with the audience fields (both layouts, so switching needs no breaking schema change). Titles are unique across field groups and schemas (XDM-1521-400). */
export const MEMBERSHIP_FIELD_GROUP = {
  title: "Audience Membership Fields for CJA",
  description: "Audience ids and names exported from Real-Time Customer Profile, for Customer Journey Analytics.",
  fields: {
    [PROFILE_FIELDS.audienceId]: { type: "string", title: "Audience Membership ID" },
    [PROFILE_FIELDS.audienceName]: { type: "string", title: "Audience Membership Name" },
    [PROFILE_FIELDS.memberships]: {
      type: "array",
      title: "Audience Memberships",
      items: { type: "object", properties: { [PROFILE_FIELDS.audienceId]: { type: "string" }, [PROFILE_FIELDS.audienceName]: { type: "string" } } },
    },
  },
} as const;

/** Step 4: the schema, class XDM Individual Profile, with `personID` as primary identity (Email), enabled for Profile. */
export const MEMBERSHIP_SCHEMA = {
  title: "Audience Membership for CJA",
  description: "Profile schema of the audience-membership dataset (Adobe's audiences-in-CJA guide).",
  primaryIdentity: { path: PROFILE_FIELDS.personId, namespace: "Email" },
} as const;

/** Step 5: how the profile dataset sits in the connection. */
export const PROFILE_DATASET_IN_CONNECTION = { type: "profile", personIdField: PROFILE_FIELDS.personId } as const;

/** Additional notes: "there is currently a limit of 10 values in the array", so at most this many audiences. */
export const MAX_AUDIENCES = 10;

/** How memberships are written: the comma-joined strings with a Substring split, or the array of objects. */
export type MembershipLayout = "commaSeparated" | "objectArray";

/** A dimension of the data view (Steps 6 and the multi-audience note). */
export interface GuideDimension {
  /** The name shown in Workspace. */
  name: string;
  /** The profile dataset field it reads, for tenant namespace `ns` (`_<tenantId>`). */
  schemaPath(ns: string): string;
  /** Component id set in the Data View Manager (two dimensions read `audienceMembershipId`, so each is pinned). */
  componentId: string;
  /** "Substring transformation ... to convert the comma-separated values string to an array". */
  substring?: { delimiter: string };
}

const PERSON_DIMENSION: GuideDimension = { name: "personID", schemaPath: () => PROFILE_FIELDS.personId, componentId: `variables/${PROFILE_FIELDS.personId}` };

/** The audience dimensions of each layout. */
export const LAYOUT_DIMENSIONS: Readonly<Record<MembershipLayout, readonly GuideDimension[]>> = {
  commaSeparated: [
    PERSON_DIMENSION,
    { name: "audienceMembershipId", schemaPath: (ns) => `${ns}.${PROFILE_FIELDS.audienceId}`, componentId: `variables/${PROFILE_FIELDS.audienceId}` },
    { name: "audienceMembershipIdName", schemaPath: (ns) => `${ns}.${PROFILE_FIELDS.audienceName}`, componentId: `variables/${PROFILE_FIELDS.audienceName}` },
    { name: "audienceMembershipIds", schemaPath: (ns) => `${ns}.${PROFILE_FIELDS.audienceId}`, componentId: "variables/audienceMembershipIds", substring: { delimiter: "," } },
  ],
  objectArray: [
    PERSON_DIMENSION,
    {
      name: "audienceMemberships.audienceMembershipId",
      schemaPath: (ns) => `${ns}.${PROFILE_FIELDS.memberships}.${PROFILE_FIELDS.audienceId}`,
      componentId: `variables/${PROFILE_FIELDS.memberships}.${PROFILE_FIELDS.audienceId}`,
    },
    {
      name: "audienceMemberships.audienceMembershipIdName",
      schemaPath: (ns) => `${ns}.${PROFILE_FIELDS.memberships}.${PROFILE_FIELDS.audienceName}`,
      componentId: `variables/${PROFILE_FIELDS.memberships}.${PROFILE_FIELDS.audienceName}`,
    },
  ],
};

/** The comma-separated layout's dimensions (the guide's Step 6 and its multi-audience note). */
export const AUDIENCE_DIMENSIONS = LAYOUT_DIMENSIONS.commaSeparated;

/** A Pulumi resource name for a guide name: `audienceMembershipIdName` → `audience-membership-id-name`. */
export function resourceName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();
}

/** The guide's steps, each with the resources of `stack.ts` that carry it out. */
export const GUIDE_STEPS: readonly GuideStep[] = [
  { step: 1, title: "Choose audience(s) in Real-time Customer Profile", resources: [{ type: "aep:AudienceExportJob", name: RESOURCE_NAMES.exportJob }] },
  { step: 2, title: "Create a Profile Union dataset for the export", resources: [{ type: "aep:Dataset", name: RESOURCE_NAMES.exportDataset }] },
  { step: 3, title: "Export an audience to the Profile Union dataset via API call", resources: [{ type: "aep:AudienceExportJob", name: RESOURCE_NAMES.exportJob }] },
  {
    step: 4,
    title: "Edit the export output",
    resources: [
      { type: "aep:FieldGroup", name: RESOURCE_NAMES.fieldGroup },
      { type: "aep:Schema", name: RESOURCE_NAMES.schema },
      { type: "aep:Dataset", name: RESOURCE_NAMES.profileDataset },
      { type: "aep:AudienceMembershipTransform", name: RESOURCE_NAMES.transform },
    ],
  },
  {
    step: 5,
    title: "Add this Profile dataset to an existing connection",
    inTheUi: "add the profile dataset to the connection (type Profile, Person ID personID)",
    resources: [{ type: "cja:Connection", name: RESOURCE_NAMES.connection }],
  },
  {
    step: 6,
    title: "Modify existing (or create new) data view",
    inTheUi: "add the audience dimensions to the template data view the stack copies",
    resources: [{ type: "cja:DataView", name: RESOURCE_NAMES.dataView }, ...AUDIENCE_DIMENSIONS.map((d) => ({ type: "cja:Dimension" as const, name: resourceName(d.name) }))],
  },
];
