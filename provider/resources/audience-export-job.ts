import * as pulumi from "@pulumi/pulumi";
import type { ProfileArgs } from "./profile";
import { AdobeResource } from "./shim";

export interface AudienceExportJobArgs extends ProfileArgs {
  /**
   * Audience (segment definition) ids to export, each a UUID, e.g.
   * `60ccea95-1435-4180-97a5-58af4aa285ab`. Give these, `audienceNames`, or both.
   */
  audienceIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Audience names, each resolved through the audiences API to exactly one audience. */
  audienceNames?: pulumi.Input<pulumi.Input<string>[]>;
  /** Membership statuses to export: `realized`, `existing` (default both). `exited` is refused, as the guide says. */
  statuses?: pulumi.Input<pulumi.Input<"realized" | "existing">[]>;
  /**
   * Merge policy id (letters, digits, `_` and `-`: a UUID, or a name like
   * `timestampOrdered-none-mp`); by default Adobe uses the audience's own.
   */
  mergePolicyId?: pulumi.Input<string>;
  /**
   * Profile fields to export (dot notation), at least the profile id field that matches the CJA
   * connection's person ID, e.g. `identityMap.Email.id` or `_tenant.identification.core.email`.
   */
  fields: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The destination dataset (24 hex digits, e.g. `67b3077efa10d92ab7a71858`); it must use the
   * Profile union schema (see `Dataset` and `PROFILE_UNION_SCHEMA`).
   */
  destinationDatasetId: pulumi.Input<string>;
  /** Only memberships qualified in this window (RFC 3339 times). */
  qualificationTime?: pulumi.Input<{ startTime?: pulumi.Input<string>; endTime?: pulumi.Input<string> }>;
  /** How long create waits for a final status before it cancels the job and fails: 0.1 to 86400 (24 h). Default 3600. */
  timeoutSeconds?: pulumi.Input<number>;
  /** Seconds between status reads while waiting: 0.1 to 3600. Default 15. */
  pollIntervalSeconds?: pulumi.Input<number>;
  /**
   * Any values; when they change the job runs again. The guide asks for a regular cadence: pass
   * e.g. the date, or a counter you bump, to re-export on purpose. Left out, the last export is
   * kept (no change), so a scheduled run can pass a value that nobody commits.
   */
  triggers?: pulumi.Input<pulumi.Input<string | number | boolean>[]>;
}

/**
 * An AEP Segmentation export job: exports audience members to a Profile union dataset. Create
 * posts the job and waits for a final status, logging progress; FAILED surfaces Adobe's error; a
 * timeout cancels the job. Any input change, `triggers` included, runs a new job (replacement).
 * Deleting cancels a job that is still running; a finished job is only released.
 */
export class AudienceExportJob extends AdobeResource {
  /** The export job's id. */
  declare readonly jobId: pulumi.Output<string>;
  /** Final status: `SUCCEEDED`. */
  declare readonly status: pulumi.Output<string>;
  /** Profiles exported (Adobe's `totalExportedProfileCounter`). */
  declare readonly profileCount: pulumi.Output<number>;
  /** The batch the job wrote into the destination dataset. */
  declare readonly batchId: pulumi.Output<string>;
  /** The exported audiences' ids, `audienceIds` and resolved `audienceNames` together. */
  declare readonly resolvedAudienceIds: pulumi.Output<string[]>;
  /** The destination dataset, as declared. */
  declare readonly destinationDatasetId: pulumi.Output<string>;
  /** The audience ids, as declared. */
  declare readonly audienceIds: pulumi.Output<string[] | undefined>;
  /** The audience names, as declared. */
  declare readonly audienceNames: pulumi.Output<string[] | undefined>;
  /** The membership statuses exported, as declared or their default. */
  declare readonly statuses: pulumi.Output<Array<"realized" | "existing">>;
  /** The merge policy, as declared. */
  declare readonly mergePolicyId: pulumi.Output<string | undefined>;
  /** The profile fields exported, as declared. */
  declare readonly fields: pulumi.Output<string[]>;
  /** The qualification window, as declared. */
  declare readonly qualificationTime: pulumi.Output<{ startTime?: string; endTime?: string } | undefined>;
  /** How long create waits, as declared or its default. */
  declare readonly timeoutSeconds: pulumi.Output<number>;
  /** Seconds between status reads, as declared or its default. */
  declare readonly pollIntervalSeconds: pulumi.Output<number>;
  /** The values whose change runs the job again, as declared. */
  declare readonly triggers: pulumi.Output<Array<string | number | boolean> | undefined>;

  /** The `adobe:profiles` entry the resource uses, as declared (undefined: the stack's own settings). */
  declare readonly profile: pulumi.Output<string | undefined>;

  constructor(name: string, args: AudienceExportJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "aep:AudienceExportJob",
      name,
      { profile: undefined,
        status: undefined,
        profileCount: undefined,
        batchId: undefined,
        resolvedAudienceIds: undefined,
        audienceIds: undefined,
        audienceNames: undefined,
        statuses: undefined,
        mergePolicyId: undefined,
        qualificationTime: undefined,
        timeoutSeconds: undefined,
        pollIntervalSeconds: undefined,
        triggers: undefined,
        ...args,
      },
      opts,
    );
    this.jobId = this.id;
  }
}
