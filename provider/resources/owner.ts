import * as pulumi from "@pulumi/pulumi";

/**
 * The hidden input that tells the provider who declares a resource: `__owner`, as
 * `<organization>/<project>/<stack>/<type>/<name>`. From it the provider derives the ownership key
 * it writes on what it makes (`provider/runtime/ownership.ts`), the same on every run.
 */
export function ownerInput(type: string, name: string): { __owner: string } {
  return { __owner: [organization(), pulumi.getProject(), pulumi.getStack(), type, name].join("/") };
}

/** The Pulumi organization; `organization` (a DIY backend's) when the language host passes none, as older hosts do. */
function organization(): string {
  try {
    return pulumi.getOrganization();
  } catch {
    return "organization";
  }
}
