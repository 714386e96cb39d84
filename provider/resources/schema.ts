import * as pulumi from "@pulumi/pulumi";
import type { ProfileArgs } from "./profile";
import { keyedOptions, ownerInput } from "./owner";
import { AdobeResource } from "./shim";

export interface SchemaArgs extends ProfileArgs {
  /** The schema's title, unique among the tenant's schemas (it is found by it). */
  title: pulumi.Input<string>;
  /** Shown in the AEP UI; its last line carries the ownership key in Adobe's copy. */
  description?: pulumi.Input<string>;
  /** The XDM class `$id`; default XDM Individual Profile (`PROFILE_CLASS`). A change replaces the schema. */
  classId?: pulumi.Input<string>;
  /** The field groups it uses, by `$id` (e.g. `FieldGroup.fieldGroupId`). New ones are added in place; removing one is refused (Adobe calls it a breaking change). */
  fieldGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The primary identity: a field path in dot notation and its identity namespace, e.g.
   * `{ path: "personID", namespace: "Email" }`. Written as an identity descriptor. A change replaces the schema.
   */
  primaryIdentity?: pulumi.Input<{ path: pulumi.Input<string>; namespace: pulumi.Input<string> }>;
  /** Enable the schema for Real-Time Customer Profile (the immutable `union` tag; needs `primaryIdentity`). Default false. */
  enableProfile?: pulumi.Input<boolean>;
  /** Adopt the schema with exactly this title (made in the AEP UI): it is only read, checked against the declaration, and never deleted. */
  adoptExisting?: pulumi.Input<boolean>;
}

/**
 * An XDM schema of the tenant (Schema Registry `/tenant/schemas`): a class and field groups,
 * with its primary identity descriptor and, if asked, enabled for Profile. Created (and deleted
 * with the stack) or adopted by title. The ownership key is the last line of its description.
 */
export class Schema extends AdobeResource {
  /** The schema's `$id`, e.g. `https://ns.adobe.com/<tenantId>/schemas/<hash>`: what a dataset's `schemaId` takes. */
  declare readonly schemaId: pulumi.Output<string>;
  /** The schema's `meta:altId`, e.g. `_<tenantId>.schemas.<hash>`. */
  declare readonly altId: pulumi.Output<string>;
  /** The primary identity descriptor's `@id` ("" without one). */
  declare readonly identityDescriptorId: pulumi.Output<string>;
  /** Whether Adobe has the schema enabled for Profile. */
  declare readonly profileEnabled: pulumi.Output<boolean>;
  /** True when the schema was adopted by title: the stack never changes or deletes it. */
  declare readonly adopted: pulumi.Output<boolean>;
  /** The title, as declared. */
  declare readonly title: pulumi.Output<string>;
  /** The description, as declared. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** The class, as declared or the default. */
  declare readonly classId: pulumi.Output<string>;
  /** The field groups, as declared. */
  declare readonly fieldGroupIds: pulumi.Output<string[] | undefined>;
  /** The primary identity, as declared. */
  declare readonly primaryIdentity: pulumi.Output<{ path: string; namespace: string } | undefined>;
  /** Whether the schema is to be enabled for Profile, as declared. */
  declare readonly enableProfile: pulumi.Output<boolean | undefined>;
  /** Whether it is adopted by title, as declared. */
  declare readonly adoptExisting: pulumi.Output<boolean | undefined>;

  /** The `adobe:profiles` entry the resource uses, as declared (undefined: the stack's own settings). */
  declare readonly profile: pulumi.Output<string | undefined>;

  constructor(name: string, args: SchemaArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "aep:Schema",
      name,
      { profile: undefined, altId: undefined, identityDescriptorId: undefined, profileEnabled: undefined, adopted: undefined, description: undefined, classId: undefined, fieldGroupIds: undefined, primaryIdentity: undefined, enableProfile: undefined, adoptExisting: undefined, ...args, ...ownerInput("aep:Schema", name) },
      keyedOptions("Schema", name, opts),
    );
    this.schemaId = this.id;
  }
}
