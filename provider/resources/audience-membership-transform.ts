import * as pulumi from "@pulumi/pulumi";
import { keyedOptions, ownerInput } from "./owner";
import { thinShim } from "./shim";

const provider = thinShim("aep:AudienceMembershipTransform");

export interface AudienceMembershipTransformArgs {
  /**
   * The export job's destination dataset (Profile union schema), e.g.
   * `AudienceExportJob.destinationDatasetId`: 24 hex digits, e.g. `67b3077efa10d92ab7a71858`.
   */
  sourceDatasetId: pulumi.Input<string>;
  /**
   * The profile dataset that receives `personID`, `audienceMembershipId`,
   * `audienceMembershipIdName`: 24 hex digits, e.g. `67b3077efa10d92ab7a71858`.
   */
  targetDatasetId: pulumi.Input<string>;
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
  /** How long create waits for the query to finish: 0.1 to 86400 (24 h). Default 1800. */
  timeoutSeconds?: pulumi.Input<number>;
  /** Seconds between state reads while waiting: 0.1 to 3600. Default 10. */
  pollIntervalSeconds?: pulumi.Input<number>;
  /** Any values; when they change the transform runs again (e.g. with each new export). */
  triggers?: pulumi.Input<pulumi.Input<string | number | boolean>[]>;
}

/**
 * The guide's Step 4 as code: a Query Service `INSERT INTO` that turns the export into one row per
 * person with `personID`, `audienceMembershipId` (comma-separated ids) and
 * `audienceMembershipIdName` (their names). Create submits the query and waits for SUCCESS. Any
 * input change runs it again (replacement); delete only releases it (rows already written stay).
 * The query carries an ownership key on the last line of its description, derived from the stack,
 * the resource's name and the inputs of the run: a create run again after a crash finds the query
 * among the sandbox's 50 most recent and waits for it instead of writing the rows a second time.
 * To run the same transform again, change `triggers` (a `--replace` finds the earlier run).
 */
export class AudienceMembershipTransform extends pulumi.dynamic.Resource {
  declare readonly queryId: pulumi.Output<string>;
  declare readonly state: pulumi.Output<string>;
  /** The SQL that ran. */
  declare readonly sql: pulumi.Output<string>;
  declare readonly sourceTable: pulumi.Output<string>;
  declare readonly targetTable: pulumi.Output<string>;
  /** Audience names, in the order of `audienceIds`. */
  declare readonly audienceNames: pulumi.Output<string[]>;

  constructor(name: string, args: AudienceMembershipTransformArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      { state: undefined, sql: undefined, sourceTable: undefined, targetTable: undefined, audienceNames: undefined, ...args, ...ownerInput("aep:AudienceMembershipTransform", name) },
      keyedOptions("AudienceMembershipTransform", name, opts),
      "aep",
      "AudienceMembershipTransform",
    );
    this.queryId = this.id;
  }
}
