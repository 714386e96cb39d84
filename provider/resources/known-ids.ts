import * as pulumi from "@pulumi/pulumi";

/*
 * A lookup (Connection, Dimension, Metric) registers with the `id` resource option, so the engine
 * reads it in `preview` and `up` alike, and shows it as a read, never as a create or a delete.
 * The id is its locator (`lookup:` and what finds it), known as soon as its inputs are: the
 * provider's read finds the object by the inputs and answers with Adobe's id, which the engine
 * records; a refresh reads by that id (`provider/runtime/resource-handler.ts`, `LOCATOR_PREFIX`).
 */
const PREFIX = "lookup:";

/** The options of a lookup: the caller's, with `id` set to the locator. */
export function readOptions(locator: pulumi.Input<string>, opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions {
  return { ...opts, id: locator };
}

/** A connection's locator: `lookup:` and its id, or its name when declared by name. */
export function connectionLocator(args: { connectionId?: pulumi.Input<string>; name?: pulumi.Input<string> }): pulumi.Output<string> {
  return pulumi.all([args.connectionId, args.name]).apply(([id, name]) => `${PREFIX}${id ?? name ?? "(no connectionId or name)"}`);
}

/**
 * A component's locator, `lookup:<dataViewId>/<componentId>` or `lookup:<dataViewId>/<schemaPath>`.
 */
export function componentLocator(prefix: "variables/" | "metrics/", args: { dataViewId: pulumi.Input<string>; componentId?: pulumi.Input<string>; schemaPath?: pulumi.Input<string> }): pulumi.Output<string> {
  return pulumi.all([args.dataViewId, args.componentId, args.schemaPath]).apply(([dataViewId, componentId, schemaPath]) => {
    const component = componentId === undefined ? schemaPath : componentId.includes("/") ? componentId : `${prefix}${componentId}`;
    return `${PREFIX}${dataViewId}/${component ?? "(no componentId or schemaPath)"}`;
  });
}
