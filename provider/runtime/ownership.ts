/**
 * The ownership key of an object the provider makes: the same on every run for one declared
 * resource (its IMS org, Pulumi organization, project, stack, type and name), so a create that
 * runs again after a crash finds what the first one made instead of making a second one.
 */
import { createHash, randomUUID } from "crypto";
import { adobeClient } from "./client";

/** The namespace of the provider's name-based UUIDs (RFC 9562 version 5). */
const NAMESPACE = Buffer.from("8a1d5c3e6b2f4e07a9c4d1e2f3a4b5c6", "hex");

/** RFC 9562 version 5: SHA-1 of namespace and name, with the version and variant bits set. */
function uuidV5(name: string): string {
  const hash = createHash("sha1").update(NAMESPACE).update(name, "utf8").digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The key for `owner` (`<organization>/<project>/<stack>/<type>/<name>`, given by the resource
 * class) in the configured IMS org; a random one when the resource carries no owner (a handler
 * called outside a Pulumi program), which no rerun can find.
 */
export function ownershipKey(owner: string | undefined): string {
  return owner ? keyOf(adobeClient().orgId, owner) : randomUUID();
}

/**
 * The one object of `own` (the objects found carrying `key`), or undefined when there is none.
 * Two or more are never chosen between: they fail with their ids (two runs of one stack created
 * the object at the same time) and what to do.
 */
export function onlyOwn<T extends { id: string | number }>(own: T[], what: { subject: string; objects: string; key: string; remedy: string }): T | undefined {
  if (own.length <= 1) return own[0];
  throw new Error(
    `${what.subject}: ${own.length} ${what.objects} carry this resource's ownership key ${what.key} (${own.map((o) => o.id).join(", ")}): ` +
      `two runs of this stack created it at the same time. ${what.remedy}`,
  );
}

/** The key of `owner` in IMS org `orgId` (what `ownershipKey` gives inside the provider). */
export function keyOf(orgId: string, owner: string): string {
  return uuidV5(`${orgId}/${owner}`);
}

/**
 * Where a calculated metric carries its key: the last line of its description, `[pulumi:<key>]`.
 * Adobe keeps no external id on calculated metrics; the description is written with the create
 * itself (a tag would need a second request, which a crash can separate from the create) and comes
 * back in every list of a data view's calculated metrics.
 */
const MARK = /(?:\n\n)?\[pulumi:([0-9a-f-]{36})\]$/;

export function withOwnershipMark(description: string | undefined, key: string): string {
  return description ? `${description}\n\n[pulumi:${key}]` : `[pulumi:${key}]`;
}

export function ownershipMarkOf(description: string | undefined): string | undefined {
  return description?.match(MARK)?.[1];
}

/** The description as declared: the mark removed; undefined when nothing else is left. */
export function stripOwnershipMark(description: string | undefined): string | undefined {
  if (description === undefined) return undefined;
  const stripped = description.replace(MARK, "");
  return stripped === "" && MARK.test(description) ? undefined : stripped;
}
