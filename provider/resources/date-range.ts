import * as pulumi from "@pulumi/pulumi";
import type { ComponentShareArgs } from "./component-metadata";
import type { ProfileArgs } from "./profile";
import { keyedOptions, ownerInput } from "./owner";
import { AdobeResource, MANAGED_ECHOES } from "./shim";

export interface DateRangeArgs extends ProfileArgs {
  /** Name shown in Analysis Workspace, at most 255 characters. Updated in place. */
  name: pulumi.Input<string>;
  /**
   * Description. Updated in place. Adobe's copy ends with a line `[pulumi:<key>]`, the date
   * range's ownership key; it is not part of this input.
   */
  description?: pulumi.Input<string>;
  /**
   * The range as Adobe writes it, `<start>/<end>`: fixed dates and times
   * (`2024-01-01T00:00:00/2024-01-31T23:59:59`, the start not after the end), or rolling dates as
   * Adobe's date ranges guide writes them (`tm/tm+1m`: from the start of this month to the start of
   * the next). Updated in place.
   */
  definition: pulumi.Input<string>;
  /**
   * Who the date range is shared with, e.g. `[{ type: "group", id: "123456789" }]`. Declared, Adobe's
   * shares are made exactly these after every create and update (`PUT /componentmetadata/shares`
   * replaces them) and a refresh reads them back; left out, shares made in the UI are left alone.
   * At most 100, each once.
   */
  shares?: pulumi.Input<pulumi.Input<ComponentShareArgs>[]>;
  /**
   * Tags, e.g. `["journey-optimizer"]`, made when the org has none of that name. Declared, the
   * date range's tags are made exactly these (`PUT /componentmetadata/tags/tagitems`) and read back by
   * a refresh; left out, tags given in the UI are left alone. At most 100, each at most 255
   * characters, each once.
   */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Id of an existing date range to take over in place (e.g. one made in Analysis Workspace): its
   * id is kept, the first `pulumi preview` lists what it holds otherwise, the first `pulumi up`
   * writes the declared name, description and definition.
   */
  adoptId?: pulumi.Input<string>;
  /**
   * Whether `pulumi destroy` (or removing the resource) deletes the date range in Adobe. Default:
   * `true` for one the stack made, `false` for one it adopted (`adoptId`), which is released and kept.
   */
  deleteOnDestroy?: pulumi.Input<boolean>;
}

/**
 * A CJA date range, managed (made, or adopted by `adoptId`). A date range belongs to no data view.
 * Each carries an ownership key, derived from the IMS org, the stack and the resource's name, as
 * the last line of its description: a create looks for it among the credential's date ranges
 * first, so a create run again after a crash adopts the date range the first one made.
 */
export class DateRange extends AdobeResource {
  /** The date range's id (e.g. `5a5e294452faff002119a986`). */
  declare readonly dateRangeId: pulumi.Output<string>;
  /** The name, as declared (after a refresh, Adobe's). */
  declare readonly name: pulumi.Output<string>;
  /** The description, as declared (Adobe's copy also carries the ownership key). */
  declare readonly description: pulumi.Output<string | undefined>;
  /** The definition, as declared (after a refresh, Adobe's). */
  declare readonly definition: pulumi.Output<string>;
  /** The date range taken over, when `adoptId` was given (then `dateRangeId` is the same). */
  declare readonly adoptId: pulumi.Output<string | undefined>;
  /** Whether destroying deletes the date range, as declared. */
  declare readonly deleteOnDestroy: pulumi.Output<boolean | undefined>;
  /** Who it is shared with, as declared (after a refresh, Adobe's); undefined when not managed. */
  declare readonly shares: pulumi.Output<ComponentShareArgs[] | undefined>;
  /** Its tags, as declared (after a refresh, Adobe's); undefined when not managed. */
  declare readonly tags: pulumi.Output<string[] | undefined>;
  /** The ownership key written in the description; none for an adopted date range. */
  declare readonly ownershipKey: pulumi.Output<string | undefined>;
  /** The `adobe:profiles` entry the resource uses, as declared (undefined: the stack's own settings). */
  declare readonly profile: pulumi.Output<string | undefined>;

  constructor(name: string, args: DateRangeArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { profile: undefined, shares: undefined, tags: undefined, description: undefined, ownershipKey: undefined, adoptId: undefined, deleteOnDestroy: undefined };
    super("cja:DateRange", name, { ...outputs, ...args, ...ownerInput("cja:DateRange", name) }, keyedOptions("DateRange", name, opts), MANAGED_ECHOES);
    this.dateRangeId = this.id;
  }
}
