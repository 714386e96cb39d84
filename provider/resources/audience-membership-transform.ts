import * as pulumi from "@pulumi/pulumi";
import type { ProfileArgs } from "./profile";
import { keyedOptions, ownerInput } from "./owner";
import { AdobeResource } from "./shim";

export interface AudienceMembershipTransformArgs extends ProfileArgs {
  /**
   * The export job's destination dataset (Profile union schema), e.g.
   * `AudienceExportJob.destinationDatasetId`: 24 hex digits, e.g. `67b3077efa10d92ab7a71858`.
   */
  sourceDatasetId: pulumi.Input<string>;
  /**
   * This run's export batch, e.g. `AudienceExportJob.batchId`: each export appends a batch to the
   * same dataset, and only this one holds the current memberships.
   */
  sourceBatchId: pulumi.Input<string>;
  /**
   * The profile dataset that receives `personID` and the memberships under `tenantNamespace`:
   * 24 hex digits, e.g. `67b3077efa10d92ab7a71858`. Its schema needs the fields of the layout
   * (`audienceMembershipId` and `audienceMembershipIdName` strings, or the `audienceMemberships`
   * array of objects with those two fields), under the tenant namespace.
   */
  targetDatasetId: pulumi.Input<string>;
  /** `_<tenantId>`, where XDM keeps every custom field, e.g. `FieldGroup.tenantNamespace`. */
  tenantNamespace: pulumi.Input<string>;
  /**
   * The audiences to keep, each a UUID, e.g. `AudienceExportJob.resolvedAudienceIds`. At most 10: CJA's
   * substring split, which turns the comma-separated list into a multi-value dimension, keeps 10 values.
   */
  audienceIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The column of the export that holds the person id matching the CJA connection's person ID,
   * e.g. `identityMap['Email'][0].id` or `_tenant.identification.core.email`.
   */
  personIdField: pulumi.Input<string>;
  /** Membership statuses kept: default `realized` and `existing`; `exited` is refused. */
  statuses?: pulumi.Input<pulumi.Input<"realized" | "existing">[]>;
  /**
   * `commaSeparated` (default): `audienceMembershipId` and `audienceMembershipIdName` hold the ids
   * and names joined by commas, which a Substring split turns into a multi-value dimension.
   * `objectArray`: `audienceMemberships` holds one `{audienceMembershipId, audienceMembershipIdName}`
   * per audience, the guide's "best option". Either way at most 10 audiences (the guide's limit).
   */
  layout?: pulumi.Input<"commaSeparated" | "objectArray">;
  /**
   * After the query succeeded, delete every batch of the profile dataset but the one it wrote,
   * and every batch of the export dataset but this run's (CJA removes deleted batches from its
   * connections): each dataset then holds one row per person. Default true; both datasets must
   * hold the stack's rows only.
   */
  keepLatestBatchOnly?: pulumi.Input<boolean>;
  /** How long create waits for the query to finish: 0.1 to 86400 (24 h). Default 1800. */
  timeoutSeconds?: pulumi.Input<number>;
  /** Seconds between state reads while waiting: 0.1 to 3600. Default 10. */
  pollIntervalSeconds?: pulumi.Input<number>;
  /** Any values; when they change the transform runs again (e.g. with each new export). */
  triggers?: pulumi.Input<pulumi.Input<string | number | boolean>[]>;
}

/**
 * The guide's Step 4 as code: a Query Service `INSERT INTO` that turns this run's export batch
 * into one row per person with `personID` and the person's current memberships under the tenant
 * namespace, plus a row with none for each person the profile dataset still shows as a member.
 * Create submits the query, waits for SUCCESS, then deletes the datasets' older batches. Any
 * input change runs it again (replacement); delete only releases it (rows already written stay).
 * The query carries an ownership key on the last line of its description, derived from the stack,
 * the resource's name and the inputs of the run: a create run again after a crash finds the query
 * among the sandbox's 50 most recent and waits for it instead of writing the rows a second time.
 * To run the same transform again, change `triggers` (a `--replace` finds the earlier run).
 */
export class AudienceMembershipTransform extends AdobeResource {
  /** The Query Service query's id. */
  declare readonly queryId: pulumi.Output<string>;
  /** The query's final state: `SUCCESS`. */
  declare readonly state: pulumi.Output<string>;
  /** The SQL that ran. */
  declare readonly sql: pulumi.Output<string>;
  /** Query Service's table name of the export dataset. */
  declare readonly sourceTable: pulumi.Output<string>;
  /** Query Service's table name of the profile dataset. */
  declare readonly targetTable: pulumi.Output<string>;
  /** Audience names, in the order of `audienceIds`. */
  declare readonly audienceNames: pulumi.Output<string[]>;
  /** Rows the query wrote: one per person with memberships, or who just lost them. */
  declare readonly rowCount: pulumi.Output<number>;
  /** The older batches deleted after the query (see `keepLatestBatchOnly`). */
  declare readonly deletedBatchIds: pulumi.Output<string[]>;
  /** The export dataset, as declared. */
  declare readonly sourceDatasetId: pulumi.Output<string>;
  /** The export batch read, as declared. */
  declare readonly sourceBatchId: pulumi.Output<string>;
  /** The profile dataset written, as declared. */
  declare readonly targetDatasetId: pulumi.Output<string>;
  /** The tenant namespace the rows are written under, as declared. */
  declare readonly tenantNamespace: pulumi.Output<string>;
  /** The audiences whose memberships are written, as declared. */
  declare readonly audienceIds: pulumi.Output<string[]>;
  /** The exported field that carries the person id, as declared. */
  declare readonly personIdField: pulumi.Output<string>;
  /** The membership statuses that count, as declared or their default. */
  declare readonly statuses: pulumi.Output<Array<"realized" | "existing">>;
  /** How memberships are written, as declared or its default. */
  declare readonly layout: pulumi.Output<"commaSeparated" | "objectArray">;
  /** Whether older batches are deleted, as declared or its default. */
  declare readonly keepLatestBatchOnly: pulumi.Output<boolean>;
  /** How long create waits, as declared or its default. */
  declare readonly timeoutSeconds: pulumi.Output<number>;
  /** Seconds between state reads, as declared or its default. */
  declare readonly pollIntervalSeconds: pulumi.Output<number>;
  /** The values whose change runs the transform again, as declared. */
  declare readonly triggers: pulumi.Output<Array<string | number | boolean> | undefined>;

  /** The `adobe:profiles` entry the resource uses, as declared (undefined: the stack's own settings). */
  declare readonly profile: pulumi.Output<string | undefined>;

  constructor(name: string, args: AudienceMembershipTransformArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "aep:AudienceMembershipTransform",
      name,
      { profile: undefined,
        state: undefined,
        sql: undefined,
        sourceTable: undefined,
        targetTable: undefined,
        audienceNames: undefined,
        rowCount: undefined,
        deletedBatchIds: undefined,
        statuses: undefined,
        layout: undefined,
        keepLatestBatchOnly: undefined,
        timeoutSeconds: undefined,
        pollIntervalSeconds: undefined,
        triggers: undefined,
        ...args,
        ...ownerInput("aep:AudienceMembershipTransform", name),
      },
      keyedOptions("AudienceMembershipTransform", name, opts),
    );
    this.queryId = this.id;
  }
}
