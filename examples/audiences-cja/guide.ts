/**
 * Adobe's guide "Ingest Adobe Experience Platform audiences into Customer Journey Analytics",
 * step by step, as data: the stack (`stack.ts`), the emulator set-up (`ui-setup.ts`) and the test
 * that checks the result all walk these tables, so each fact of the guide lives in one place.
 */

/** The Pulumi names of the stack's resources (`stack.ts`), one per guide object. */
export const RESOURCE_NAMES = {
  exportDataset: "audience-export",
  exportJob: "audiences",
  profileDataset: "audience-membership",
  transform: "audience-membership",
  connection: "audiences",
  dataView: "audiences",
} as const;

/** A resource of the stack, by type token and Pulumi name. */
export interface StackResource {
  type: "aep:Dataset" | "aep:AudienceExportJob" | "aep:AudienceMembershipTransform" | "cja:Connection" | "cja:DataView" | "cja:Dimension";
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

/** Step 4: the fields of the profile dataset, as the transform writes them. */
export const PROFILE_FIELDS = {
  /** "The standard XDM schema field on Profile datasets to identify the person." */
  personId: "personID",
  /** "The audience ID from the export." */
  audienceId: "audienceMembershipId",
  /** "A friendly name for the audience." */
  audienceName: "audienceMembershipIdName",
} as const;

/** Step 5: how the profile dataset sits in the connection. */
export const PROFILE_DATASET_IN_CONNECTION = { type: "profile", personIdField: PROFILE_FIELDS.personId } as const;

/** Additional notes: CJA's substring split keeps at most this many values, so at most this many audiences. */
export const MAX_AUDIENCES = 10;

/** A dimension of the data view (Steps 6 and the multi-audience note). */
export interface GuideDimension {
  /** The name shown in Workspace. */
  name: string;
  /** The profile dataset field it reads. */
  schemaPath: string;
  /** Component id set in the Data View Manager (two dimensions read `audienceMembershipId`, so each is pinned). */
  componentId: string;
  /** "Substring transformation ... to convert the comma-separated values string to an array". */
  substring?: { delimiter: string };
}

export const AUDIENCE_DIMENSIONS: readonly GuideDimension[] = [
  { name: "personID", schemaPath: PROFILE_FIELDS.personId, componentId: `variables/${PROFILE_FIELDS.personId}` },
  { name: "audienceMembershipId", schemaPath: PROFILE_FIELDS.audienceId, componentId: `variables/${PROFILE_FIELDS.audienceId}` },
  { name: "audienceMembershipIdName", schemaPath: PROFILE_FIELDS.audienceName, componentId: `variables/${PROFILE_FIELDS.audienceName}` },
  { name: "audienceMembershipIds", schemaPath: PROFILE_FIELDS.audienceId, componentId: "variables/audienceMembershipIds", substring: { delimiter: "," } },
];

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
    inTheUi: "create the audience-membership schema and the profile dataset on it",
    resources: [
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
