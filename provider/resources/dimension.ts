import * as pulumi from "@pulumi/pulumi";
import { componentLocator, readOptions } from "./known-ids";
import { AdobeResource } from "./shim";
import { COMPONENT_ECHOES, type ComponentArgs, type IncludeExcludeArgs, type PersistenceArgs, type SubstringSplitArgs } from "./component-settings";

export interface DimensionArgs extends ComponentArgs {
  /** Substring transformation splitting the value into an array (Adobe keeps at most 10 values). Compared only when declared. */
  substring?: pulumi.Input<SubstringSplitArgs>;
  /** Persistence. Compared only when declared. */
  persistence?: pulumi.Input<PersistenceArgs>;
}

/**
 * A dimension of a data view, adopted and verified. Adobe's public API cannot add or change
 * data view components, so this resource finds the dimension (by component id or schema path),
 * compares every declared setting with the live one, and reports each difference with the change
 * to make in the Data View Manager. One list request per data view serves every component of it.
 * It is a read (the `id` option is set to `<dataViewId>/<componentId or schemaPath>`): every
 * `preview` and `up` reads and verifies it, and `destroy` only forgets it.
 */
export class Dimension extends AdobeResource {
  /** The component id, e.g. `variables/...`. */
  declare readonly componentId: pulumi.Output<string>;
  /** The schema field the component reads (`sourceFieldId`). */
  declare readonly schemaPath: pulumi.Output<string>;
  /** The component's name, as declared (under `onDrift: "warn"`, Adobe's). */
  declare readonly name: pulumi.Output<string>;
  /** The data view the component belongs to. */
  declare readonly dataViewId: pulumi.Output<string>;
  /** The description, as declared (under `onDrift: "warn"`, Adobe's). */
  declare readonly description: pulumi.Output<string | undefined>;
  /** The context labels to check in the Data View Manager, as declared. */
  declare readonly contextLabels: pulumi.Output<string[] | undefined>;
  /** Whether the component is hidden in reports, as declared (under `onDrift: "warn"`, Adobe's). */
  declare readonly hidden: pulumi.Output<boolean | undefined>;
  /** Include/exclude values, as declared (under `onDrift: "warn"`, Adobe's). */
  declare readonly includeExclude: pulumi.Output<IncludeExcludeArgs | undefined>;
  /** What a difference from Adobe does, as declared. */
  declare readonly onDrift: pulumi.Output<"fail" | "warn" | undefined>;
  /** The substring split, as declared (under `onDrift: "warn"`, Adobe's). */
  declare readonly substring: pulumi.Output<SubstringSplitArgs | undefined>;
  /** Persistence, as declared (under `onDrift: "warn"`, Adobe's). */
  declare readonly persistence: pulumi.Output<PersistenceArgs | undefined>;

  /** The `adobe:profiles` entry the resource uses, as declared (undefined: the stack's own settings). */
  declare readonly profile: pulumi.Output<string | undefined>;

  constructor(name: string, args: DimensionArgs, opts?: pulumi.CustomResourceOptions) {
    super("cja:Dimension", name, { profile: undefined, componentId: undefined, schemaPath: undefined, description: undefined, contextLabels: undefined, hidden: undefined, includeExclude: undefined, onDrift: undefined, substring: undefined, persistence: undefined, ...args }, readOptions(componentLocator("variables/", args), opts), [...COMPONENT_ECHOES, "substring", "persistence"]);
  }
}
