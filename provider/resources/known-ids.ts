import type * as pulumi from "@pulumi/pulumi";

/*
 * Id outputs are taken from the resource's `id`, not from its other outputs: in a preview of an
 * update the engine keeps a dynamic resource's `id` known while every other output is unknown, and
 * an unknown data view id would make every component and calculated metric of it show as replaced.
 */

/** A Dimension's or Metric's component id: its resource id is `<dataViewId>/<componentId>`. */
export function componentIdOf(resource: pulumi.CustomResource): pulumi.Output<string> {
  return resource.id.apply((id) => id.slice(id.indexOf("/") + 1));
}
