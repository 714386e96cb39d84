import * as pulumi from "@pulumi/pulumi";

/**
 * The `__provider` text of one resource type: the module Pulumi's dynamic provider host loads
 * (`require-from-string`, then `handler()`) to run the type's calls. It names the type and
 * `require`s the package's runtime by its exported subpath (resolved from the Pulumi project's
 * node_modules), nothing else: no credential, config or client is in it, and every resource of a
 * type stores the same ~100 bytes in its inputs and outputs.
 */
export function providerSource(type: string): string {
  return `exports.handler = () => require("pulumi-adobe-cja/runtime").provider(${JSON.stringify(type)});`;
}

/**
 * What every resource of the package is: a Pulumi dynamic resource (type token
 * `pulumi-nodejs:dynamic/<module>:<Type>`, run by the SDK's dynamic provider host), registered the
 * way `pulumi.dynamic.Resource` registers one, but with `__provider` written as `providerSource`
 * gives it rather than by serializing a provider object's closures (about 2.7 kB, twice per resource).
 */
export abstract class AdobeResource extends pulumi.CustomResource {
  /**
   * `echoes`: outputs that hold their input as declared (or Adobe's value of a declared one), so
   * are undefined whenever the input is. One left out of the args is not registered with the
   * engine (the SDK makes an output per registered property, and captures a stack trace for each
   * of its promises: most of a program's time per lookup); it is a known undefined output instead.
   */
  protected constructor(type: string, name: string, props: Record<string, unknown>, opts?: pulumi.CustomResourceOptions, echoes: readonly string[] = []) {
    if ("__provider" in props) throw new Error("A dynamic resource must not define the __provider key");
    const [module, kind] = type.split(":");
    const undeclared = echoes.filter((key) => props[key] === undefined);
    const registered = Object.fromEntries(Object.entries(props).filter(([key]) => !undeclared.includes(key)));
    super(`pulumi-nodejs:dynamic/${module}:${kind}`, name, { ...registered, __provider: providerSource(type) }, opts);
    for (const key of undeclared) Object.defineProperty(this, key, { value: undeclaredOutput(), enumerable: true });
  }
}

/** The outputs of a managed resource that hold an input as declared: undefined unless declared. */
export const MANAGED_ECHOES = ["profile", "adoptId", "deleteOnDestroy"] as const;

let undeclaredOne: pulumi.Output<undefined> | undefined;

/** The output of every undeclared echo: known, undefined, of no resource. */
function undeclaredOutput(): pulumi.Output<undefined> {
  return (undeclaredOne ??= pulumi.output(undefined));
}
