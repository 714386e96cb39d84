import * as pulumi from "@pulumi/pulumi";
import type { ProfileArgs } from "./profile";
import { keyedOptions, ownerInput } from "./owner";
import { AdobeResource } from "./shim";

/** The XDM Individual Profile class. */
export const PROFILE_CLASS = "https://ns.adobe.com/xdm/context/profile";

/** A field of a field group: an XDM type and, for an object, its fields; for an array, its element. */
export interface FieldSpecArgs {
  /** The field's XDM type. */
  type: "string" | "integer" | "number" | "boolean" | "object" | "array";
  /** Shown in the AEP UI; default the field's name. */
  title?: string;
  /** Shown in the AEP UI. */
  description?: string;
  /** An object's fields, by name. */
  properties?: Record<string, FieldSpecArgs>;
  /** An array's element. */
  items?: FieldSpecArgs;
}

export interface FieldGroupArgs extends ProfileArgs {
  /** The field group's title, unique among the tenant's field groups (it is found by it). */
  title: pulumi.Input<string>;
  /** Shown in the AEP UI; its last line carries the ownership key in Adobe's copy. */
  description?: pulumi.Input<string>;
  /** The classes it extends (`meta:intendedToExtend`); default XDM Individual Profile (`PROFILE_CLASS`). */
  intendedToExtend?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The custom fields, by name. They are written under the org's tenant namespace (`_<tenantId>`,
   * which Adobe requires of every custom field): `{ audienceMembershipId: { type: "string" } }`
   * becomes `_<tenantId>.audienceMembershipId`. Names start with a letter.
   */
  fields: pulumi.Input<Record<string, pulumi.Input<FieldSpecArgs>>>;
  /** Adopt the field group with exactly this title (made in the AEP UI): it is only read, checked for the declared fields, and never deleted. */
  adoptExisting?: pulumi.Input<boolean>;
}

/**
 * An XDM field group of the tenant (Schema Registry `/tenant/fieldgroups`), with its fields under
 * the tenant namespace. Created (and deleted with the stack) or adopted by title. Fields are
 * changed in place (a full replace of the field group; Adobe refuses removing fields that data or
 * Profile already use). The ownership key is the last line of its description.
 */
export class FieldGroup extends AdobeResource {
  /** The field group's `$id`, e.g. `https://ns.adobe.com/<tenantId>/mixins/<hash>`. */
  declare readonly fieldGroupId: pulumi.Output<string>;
  /** The field group's `meta:altId`, e.g. `_<tenantId>.mixins.<hash>`. */
  declare readonly altId: pulumi.Output<string>;
  /** The title, as declared. */
  declare readonly title: pulumi.Output<string>;
  /** The description, as declared. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** The classes it extends, as declared or the default. */
  declare readonly intendedToExtend: pulumi.Output<string[]>;
  /** The fields, as declared. */
  declare readonly fields: pulumi.Output<Record<string, FieldSpecArgs>>;
  /** Whether it is adopted by title, as declared. */
  declare readonly adoptExisting: pulumi.Output<boolean | undefined>;
  /** The org's tenant id (Schema Registry `GET /stats`). */
  declare readonly tenantId: pulumi.Output<string>;
  /** `_<tenantId>`: the object the fields live under in every record. */
  declare readonly tenantNamespace: pulumi.Output<string>;
  /** True when the field group was adopted: the stack never changes or deletes it. */
  declare readonly adopted: pulumi.Output<boolean>;

  /** The `adobe:profiles` entry the resource uses, as declared (undefined: the stack's own settings). */
  declare readonly profile: pulumi.Output<string | undefined>;

  constructor(name: string, args: FieldGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "aep:FieldGroup",
      name,
      { profile: undefined, altId: undefined, tenantId: undefined, tenantNamespace: undefined, adopted: undefined, description: undefined, intendedToExtend: undefined, adoptExisting: undefined, ...args, ...ownerInput("aep:FieldGroup", name) },
      keyedOptions("FieldGroup", name, opts),
    );
    this.fieldGroupId = this.id;
  }
}
