import type * as pulumi from "@pulumi/pulumi";

/**
 * Who a calculated metric, filter or date range is shared with. A component a stack makes is owned
 * by the credential's technical account: an analyst who is not a product admin sees it only when
 * it is shared with them or with a group of theirs (docs/ADOBE-API.md, "Who owns and sees what a
 * stack makes").
 */
export interface ComponentShareArgs {
  /** `user`, `group` (an Admin Console user group or product profile) or `all` (everyone in the org; Adobe lets only administrators share with everyone or with groups). */
  type: pulumi.Input<"user" | "group" | "all">;
  /** The user's or group's IMS id (a numeric id is sent as Adobe's `shareToId`); none for `all`. */
  id?: pulumi.Input<string | number>;
}
