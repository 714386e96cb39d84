import * as pulumi from "@pulumi/pulumi";

/**
 * The hidden input that tells the provider who declares a resource: `__owner`, as
 * `<organization>/<project>/<stack>/<type>/<name>`. From it the provider derives the ownership key
 * it writes on what it makes (`provider/runtime/ownership.ts`), the same on every run.
 */
export function ownerInput(type: string, name: string): { __owner: string } {
  return { __owner: [organization(), pulumi.getProject(), pulumi.getStack(), type, name].join("/") };
}

/**
 * The options of a resource that carries an ownership key: it is deleted before it is replaced.
 * Created first, the replacement would carry the same key, find the object it replaces, adopt it,
 * and the engine would then delete that object as the old one.
 */
export function keyedOptions(type: string, name: string, opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions {
  if (opts?.deleteBeforeReplace === false) {
    throw new Error(
      `${type} ${name}: deleteBeforeReplace cannot be false. Its replacement carries the same ownership key, so it must be made after the old one is deleted.`,
    );
  }
  return { ...opts, deleteBeforeReplace: true };
}

/** The Pulumi organization; `organization` (a DIY backend's) when the language host passes none, as older hosts do. */
function organization(): string {
  try {
    return pulumi.getOrganization();
  } catch {
    return "organization";
  }
}
