/**
 * The AEP audiences → CJA stack of Adobe's guide, step by step: the audiences chosen by name,
 * the Profile union dataset the export writes to (created here: the AEP UI cannot), the export
 * job, the audience-membership field group, schema and profile dataset (created, or adopted when
 * a team made them in the UI), the Query Service transform into it, the connection that holds it
 * (verified), a data view copied from the template, and its audience dimensions (verified
 * setting by setting).
 */
import * as pulumi from "@pulumi/pulumi";
import {
  AudienceExportJob,
  AudienceMembershipTransform,
  Connection,
  Dataset,
  DataView,
  Dimension,
  FieldGroup,
  Schema,
  type OnDrift,
} from "pulumi-adobe-cja";
import {
  EXPORT_SCHEMA,
  LAYOUT_DIMENSIONS,
  MAX_AUDIENCES,
  MEMBERSHIP_FIELD_GROUP,
  MEMBERSHIP_SCHEMA,
  MEMBERSHIP_STATUSES,
  PROFILE_DATASET_IN_CONNECTION,
  RESOURCE_NAMES,
  resourceName,
  type MembershipLayout,
} from "./guide";

/** The stack's own settings (project config namespace `audiences-cja`). */
export interface AudiencesCjaSettings {
  /** Step 1: the audiences to bring into CJA, by their name in AEP (at most 10). */
  audienceNames: string[];
  /** Step 2: name of the Profile union dataset the stack creates for the export. */
  exportDatasetName: string;
  /** Step 3: the profile field exported as the person id; it must match the CJA connection's person ID. */
  personIdField: string;
  /** Step 3: more profile fields to export, if wanted. */
  extraExportFields: string[];
  /** Step 4: name of the profile dataset on the audience-membership schema. */
  profileDatasetName: string;
  /**
   * Step 4: true (the default) when the stack creates the field group, the schema and the profile
   * dataset; false when a team made them in the AEP UI (same titles and name): they are adopted.
   */
  createProfileDataset: boolean;
  /** How memberships are written: "commaSeparated" (the guide's string and Substring split) or "objectArray" (its "best option"). */
  membershipLayout: MembershipLayout;
  /** Step 5: the connection the profile dataset was added to, by name or id (id wins). */
  connectionName?: string;
  connectionId?: string;
  /** Step 6: the template data view with the audience dimensions (made in the Data View Manager). */
  templateDataViewId: string;
  dataViewName: string;
  timezone: string;
  /** "Perform this process on a regular cadence": any new value exports and transforms again. */
  refresh: string;
  /** How long to wait for the export job and the query, and how often to look. */
  timeoutSeconds: number;
  pollIntervalSeconds: number;
  onDrift: OnDrift;
}

function positiveNumber(config: pulumi.Config, key: string, fallback: number): number {
  const value = config.getNumber(key) ?? fallback;
  if (!(value > 0)) throw new Error(`audiences-cja:${key} must be a positive number, got ${value}`);
  return value;
}

/** Reads {@link AudiencesCjaSettings} from the stack config. */
export function readSettings(config: pulumi.Config = new pulumi.Config()): AudiencesCjaSettings {
  const audienceNames = config.requireObject<string[]>("audienceNames");
  if (!Array.isArray(audienceNames) || audienceNames.length === 0 || audienceNames.some((n) => typeof n !== "string" || n.trim() === "")) {
    throw new Error('audiences-cja:audienceNames must be a non-empty list of audience names, e.g. ["Gold Members"]');
  }
  if (audienceNames.length > MAX_AUDIENCES) {
    throw new Error(`audiences-cja:audienceNames lists ${audienceNames.length} audiences; CJA's substring split keeps ${MAX_AUDIENCES} values, so bring at most ${MAX_AUDIENCES}.`);
  }
  const connectionId = config.get("connectionId");
  const connectionName = config.get("connectionName");
  if (!connectionId && !connectionName) throw new Error("Set audiences-cja:connectionName (or audiences-cja:connectionId): the connection the profile dataset was added to.");
  const membershipLayout = config.get("membershipLayout") ?? "commaSeparated";
  if (membershipLayout !== "commaSeparated" && membershipLayout !== "objectArray") {
    throw new Error(`audiences-cja:membershipLayout must be "commaSeparated" or "objectArray", got "${membershipLayout}"`);
  }
  const onDrift = config.get("onDrift") ?? "fail";
  if (onDrift !== "fail" && onDrift !== "warn") throw new Error(`audiences-cja:onDrift must be "fail" or "warn", got "${onDrift}"`);
  return {
    audienceNames,
    exportDatasetName: config.require("exportDatasetName"),
    personIdField: config.require("personIdField"),
    extraExportFields: config.getObject<string[]>("extraExportFields") ?? [],
    profileDatasetName: config.require("profileDatasetName"),
    createProfileDataset: config.getBoolean("createProfileDataset") ?? true,
    membershipLayout,
    connectionId: connectionId || undefined,
    connectionName: connectionId ? undefined : connectionName,
    templateDataViewId: config.require("templateDataViewId"),
    dataViewName: config.require("dataViewName"),
    timezone: config.get("timezone") ?? "US/Mountain",
    refresh: config.get("refresh") ?? "",
    timeoutSeconds: positiveNumber(config, "timeoutSeconds", 3600),
    pollIntervalSeconds: positiveNumber(config, "pollIntervalSeconds", 15),
    onDrift,
  };
}

/** What the stack makes, in the guide's order. */
export interface AudiencesCjaStack {
  exportDataset: Dataset;
  exportJob: AudienceExportJob;
  fieldGroup: FieldGroup;
  schema: Schema;
  profileDataset: Dataset;
  transform: AudienceMembershipTransform;
  connection: Connection;
  dataView: DataView;
  dimensions: Record<string, Dimension>;
  /** The stack outputs `index.ts` exports. */
  outputs: {
    audienceIds: pulumi.Output<string[]>;
    exportDatasetId: pulumi.Output<string>;
    exportJobId: pulumi.Output<string>;
    exportedProfiles: pulumi.Output<number>;
    exportBatchId: pulumi.Output<string>;
    profileSchemaId: pulumi.Output<string>;
    tenantNamespace: pulumi.Output<string>;
    profileDatasetId: pulumi.Output<string>;
    profileRows: pulumi.Output<number>;
    transformQueryId: pulumi.Output<string>;
    connectionId: pulumi.Output<string>;
    dataViewId: pulumi.Output<string>;
    dimensionIds: pulumi.Output<Record<string, string>>;
  };
}

/** Declares the guide's objects. */
export function audiencesCjaStack(settings: AudiencesCjaSettings = readSettings()): AudiencesCjaStack {
  const { onDrift, timeoutSeconds, pollIntervalSeconds } = settings;
  const refresh = settings.refresh ? [settings.refresh] : undefined;

  // Step 2: the Profile union dataset the export writes to (the AEP UI cannot create one).
  const exportDataset = new Dataset(RESOURCE_NAMES.exportDataset, {
    name: settings.exportDatasetName,
    schemaId: EXPORT_SCHEMA,
    description: "Audience export for Customer Journey Analytics (Profile union schema), managed by Pulumi.",
  });

  // Steps 1 and 3: the chosen audiences, exported with their realized and existing members.
  const exportJob = new AudienceExportJob(RESOURCE_NAMES.exportJob, {
    audienceNames: settings.audienceNames,
    statuses: [...MEMBERSHIP_STATUSES],
    fields: [settings.personIdField, ...settings.extraExportFields],
    destinationDatasetId: exportDataset.datasetId,
    timeoutSeconds,
    pollIntervalSeconds,
    triggers: refresh,
  });

  // Step 4: the audience fields under the tenant namespace, the Profile schema with personID as
  // primary identity, and the profile dataset on it; then the query that fills it.
  const adoptExisting = !settings.createProfileDataset;
  const fieldGroup = new FieldGroup(RESOURCE_NAMES.fieldGroup, { ...MEMBERSHIP_FIELD_GROUP, adoptExisting });
  const schema = new Schema(RESOURCE_NAMES.schema, {
    title: MEMBERSHIP_SCHEMA.title,
    description: MEMBERSHIP_SCHEMA.description,
    fieldGroupIds: [fieldGroup.fieldGroupId],
    primaryIdentity: MEMBERSHIP_SCHEMA.primaryIdentity,
    enableProfile: true,
    adoptExisting,
  });
  const profileDataset = new Dataset(RESOURCE_NAMES.profileDataset, {
    name: settings.profileDatasetName,
    schemaId: schema.schemaId,
    description: "Audience memberships for Customer Journey Analytics (one row per person), managed by Pulumi.",
    enableProfile: true,
    adoptExisting,
  });
  const transform = new AudienceMembershipTransform(RESOURCE_NAMES.transform, {
    sourceDatasetId: exportJob.destinationDatasetId,
    sourceBatchId: exportJob.batchId,
    targetDatasetId: profileDataset.datasetId,
    tenantNamespace: fieldGroup.tenantNamespace,
    audienceIds: exportJob.resolvedAudienceIds,
    personIdField: settings.personIdField,
    statuses: [...MEMBERSHIP_STATUSES],
    layout: settings.membershipLayout,
    timeoutSeconds,
    pollIntervalSeconds,
  });

  // Step 5: the connection the profile dataset was added to in the UI, verified. A lookup: it waits
  // for the profile dataset only, so every preview reads it, even one that replaces the transform.
  const connection = new Connection(RESOURCE_NAMES.connection, {
    ...(settings.connectionId ? { connectionId: settings.connectionId } : { name: settings.connectionName }),
    datasets: [{ datasetId: profileDataset.datasetId, ...PROFILE_DATASET_IN_CONNECTION }],
    onDrift,
  });

  // Step 6: a data view with the audience dimensions, copied from the template.
  const dataView = new DataView(RESOURCE_NAMES.dataView, {
    name: settings.dataViewName,
    description: "AEP audiences in CJA: Adobe's audiences guide, managed by Pulumi.",
    connectionId: connection.connectionId,
    timezone: settings.timezone,
    copyFrom: settings.templateDataViewId,
    // Checked against the template before it is copied, so a component missing from it stops the preview.
    requiredComponents: LAYOUT_DIMENSIONS[settings.membershipLayout].map((d) => d.componentId),
  });
  const dimensions = Object.fromEntries(
    LAYOUT_DIMENSIONS[settings.membershipLayout].map((d) => [
      d.name,
      new Dimension(resourceName(d.name), {
        dataViewId: dataView.dataViewId,
        name: d.name,
        componentId: d.componentId,
        schemaPath: fieldGroup.tenantNamespace.apply((ns) => d.schemaPath(ns)),
        substring: d.substring,
        onDrift,
      }),
    ]),
  );

  return {
    exportDataset,
    exportJob,
    fieldGroup,
    schema,
    profileDataset,
    transform,
    connection,
    dataView,
    dimensions,
    outputs: {
      audienceIds: exportJob.resolvedAudienceIds,
      exportDatasetId: exportDataset.datasetId,
      exportJobId: exportJob.jobId,
      exportedProfiles: exportJob.profileCount,
      exportBatchId: exportJob.batchId,
      profileSchemaId: schema.schemaId,
      tenantNamespace: fieldGroup.tenantNamespace,
      profileDatasetId: profileDataset.datasetId,
      profileRows: transform.rowCount,
      transformQueryId: transform.queryId,
      connectionId: connection.connectionId,
      dataViewId: dataView.dataViewId,
      dimensionIds: pulumi.all(Object.fromEntries(Object.entries(dimensions).map(([name, d]) => [name, d.componentId]))) as pulumi.Output<Record<string, string>>,
    },
  };
}
