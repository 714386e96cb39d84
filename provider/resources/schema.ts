import * as pulumi from "@pulumi/pulumi";
import { keyedOptions, ownerInput } from "./owner";
import { thinShim } from "./shim";

const provider = thinShim("aep:Schema");

export interface SchemaArgs {
  /** The schema's title, unique among the tenant's schemas (it is found by it). */
  title: pulumi.Input<string>;
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
export class Schema extends pulumi.dynamic.Resource {
  /** The schema's `$id`, e.g. `https://ns.adobe.com/<tenantId>/schemas/<hash>`: what a dataset's `schemaId` takes. */
  declare readonly schemaId: pulumi.Output<string>;
  declare readonly altId: pulumi.Output<string>;
  /** The primary identity descriptor's `@id` ("" without one). */
  declare readonly identityDescriptorId: pulumi.Output<string>;
  /** Whether Adobe has the schema enabled for Profile. */
  declare readonly profileEnabled: pulumi.Output<boolean>;
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: SchemaArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      { altId: undefined, identityDescriptorId: undefined, profileEnabled: undefined, adopted: undefined, ...args, ...ownerInput("aep:Schema", name) },
      keyedOptions("Schema", name, opts),
      "aep",
      "Schema",
    );
    this.schemaId = this.id;
  }
}
