import type * as pulumi from "@pulumi/pulumi";

/** Which Adobe settings a resource uses: every resource takes it. */
export interface ProfileArgs {
  /**
   * The `adobe:profiles` entry whose settings this resource uses instead of the stack's `adobe:*`
   * ones, to reach another sandbox or org from the same program: `development` after
   * `pulumi config set --path 'adobe:profiles.development.sandbox' dev`. A profile sets only what
   * differs (credentials as secrets: `pulumi config set --secret --path
   * 'adobe:profiles.emea.clientSecret' ...`). Left out: the stack's own settings. Changing it
   * replaces the resource, since the object is in another sandbox or org.
   */
  profile?: pulumi.Input<string>;
}
