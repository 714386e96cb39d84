import * as pulumi from "@pulumi/pulumi";
import { componentIdOf } from "./known-ids";
import { thinShim } from "./shim";
import type { ComponentArgs, PersistenceArgs, SubstringSplitArgs } from "./component-settings";

const provider = thinShim("cja:Dimension");

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
 */
export class Dimension extends pulumi.dynamic.Resource {
  /** The component id, e.g. `variables/...`. */
  declare readonly componentId: pulumi.Output<string>;
  declare readonly schemaPath: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly dataViewId: pulumi.Output<string>;

  constructor(name: string, args: DimensionArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { schemaPath: undefined, ...args }, opts, "cja", "Dimension");
    this.componentId = componentIdOf(this);
  }
}
