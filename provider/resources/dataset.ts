import * as pulumi from "@pulumi/pulumi";
import type { ProfileArgs } from "./profile";
import { keyedOptions, ownerInput } from "./owner";
import { AdobeResource } from "./shim";

/** The Profile union schema: the schema an audience export job's destination dataset must use. */
export const PROFILE_UNION_SCHEMA = "_xdm.context.profile__union";

export interface DatasetArgs extends ProfileArgs {
  /** Dataset name; the Query Service table name is derived from it by Adobe. */
  name: pulumi.Input<string>;
  /**
   * The XDM schema (`$id` or `meta:altId`), e.g. `PROFILE_UNION_SCHEMA` for an export job's
   * destination. Required unless the dataset is adopted.
   */
  schemaId?: pulumi.Input<string>;
  /** Description. Updated in place on a dataset the stack created; only read on an adopted one. */
  description?: pulumi.Input<string>;
  /**
   * Adopt this existing dataset instead of creating one; it is never deleted by the stack. A
   * Catalog dataset id: 24 hex digits, e.g. `67b3077efa10d92ab7a71858`.
   */
  datasetId?: pulumi.Input<string>;
  /** Adopt the existing dataset with exactly this `name` (e.g. one created in the AEP UI); it is never deleted by the stack. */
  adoptExisting?: pulumi.Input<boolean>;
  /**
   * Enable the dataset for Real-Time Customer Profile and Identity Service (Catalog tags
   * `unifiedProfile`/`unifiedIdentity`, set with the create; its schema must be enabled for Profile).
   * On an adopted dataset, only checked. A change replaces the dataset.
   */
  enableProfile?: pulumi.Input<boolean>;
}

/**
 * An AEP Catalog dataset: created (and deleted with the stack), or adopted by id or name. A new
 * description is set in place; any other input change replaces it (Catalog datasets are not
 * renamed by this package). A dataset the stack creates carries an ownership key derived from the
 * IMS org, the stack and the resource's name, in the Catalog tag `pulumi/owner`, set with the
 * create itself: a create looks for it first, so a create run again after a crash adopts the
 * dataset the first one made. A replacement is made after the old dataset is deleted
 * (`deleteBeforeReplace`, which cannot be turned off).
 */
export class Dataset extends AdobeResource {
  /** The Catalog dataset id. */
  declare readonly datasetId: pulumi.Output<string>;
  /** The dataset's name, as declared or as Catalog reports an adopted one. */
  declare readonly name: pulumi.Output<string>;
  /** The description, as declared. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** Whether the dataset is adopted by name, as declared. */
  declare readonly adoptExisting: pulumi.Output<boolean | undefined>;
  /** Whether the dataset is to be enabled for Profile, as declared. */
  declare readonly enableProfile: pulumi.Output<boolean | undefined>;
  /** The dataset's Query Service table (Catalog tag `adobe/pqs/table`). */
  declare readonly tableName: pulumi.Output<string>;
  /** The schema the dataset uses, as Catalog reports it. */
  declare readonly schemaId: pulumi.Output<string>;
  /** True when the dataset was adopted (by `datasetId` or `adoptExisting`): the stack never deletes it. */
  declare readonly adopted: pulumi.Output<boolean>;
  /** Whether Catalog has the dataset enabled for Profile (when `enableProfile` is declared). */
  declare readonly profileEnabled: pulumi.Output<boolean>;

  /** The `adobe:profiles` entry the resource uses, as declared (undefined: the stack's own settings). */
  declare readonly profile: pulumi.Output<string | undefined>;

  constructor(name: string, args: DatasetArgs, opts?: pulumi.CustomResourceOptions) {
    super("aep:Dataset", name, { profile: undefined, tableName: undefined, schemaId: undefined, adopted: undefined, profileEnabled: undefined, description: undefined, adoptExisting: undefined, enableProfile: undefined, ...args, ...ownerInput("aep:Dataset", name) }, keyedOptions("Dataset", name, opts));
    this.datasetId = this.id;
  }
}
