/**
 * The attributes the registry assigns to a tenant field group or schema: `$id` and `meta:altId`,
 * `version` (one minor step per PUT or PATCH), `meta:registryMetadata`, the container and sandbox
 * fields, and the rule that titles are unique across all resource types of the sandbox
 * (XDM-1521-400: AdobeDocs/experience-platform.en `help/xdm/faq.md` "Title not unique").
 */
import type { EmuResponse } from "../../types";
import { clientOf, sandboxDescriptor } from "../state";
import { tenantNamespace, type XdmResource } from "../xdm";
import { schemaRegistryError, type Scope } from "./common";

/** The path segment of `$id` and `meta:altId`, and the `meta:resourceType`. */
export type ResourceType = "mixins" | "schemas";

/** The ids and version a write gives the resource, and the metadata of the one it replaces. */
export interface ResourceIds {
  $id: string;
  altId: string;
  version: string;
  metadata?: Record<string, unknown>;
}

/** A new resource's ids: `https://ns.adobe.com/{TENANT}/{type}/<32 hex>`, version 1.0. */
export function newIds(s: Scope, type: ResourceType): ResourceIds {
  const hex = s.ctx.newId(32);
  return { $id: `https://ns.adobe.com/${s.tenant}/${type}/${hex}`, altId: `_${s.tenant}.${type}.${hex}`, version: "1.0" };
}

/** A rewritten resource's ids: its own, one minor version up, its creation metadata kept. */
export function keptIds(existing: XdmResource): ResourceIds {
  return {
    $id: existing.$id,
    altId: existing["meta:altId"],
    version: bumpMinor(existing.version),
    metadata: existing["meta:registryMetadata"] as Record<string, unknown>,
  };
}

export function bumpMinor(version: string): string {
  const [major, minor] = version.split(".");
  return `${major || "1"}.${(Number(minor) || 0) + 1}`;
}

export function registryMetadata(s: Scope, created?: Record<string, unknown>): Record<string, unknown> {
  const now = s.ctx.now();
  const client = clientOf(s.req);
  return {
    "repo:createdDate": created?.["repo:createdDate"] ?? now,
    "repo:lastModifiedDate": now,
    "xdm:createdClientId": created?.["xdm:createdClientId"] ?? client,
    "xdm:lastModifiedClientId": client,
    "xdm:createdUserId": created?.["xdm:createdUserId"] ?? `${client}@AdobeID`,
    "xdm:lastModifiedUserId": `${client}@AdobeID`,
    eTag: s.ctx.newId(64),
  };
}

function containerFields(s: Scope): Record<string, unknown> {
  const sandbox = sandboxDescriptor(s.req, s.state);
  return { "meta:containerId": "tenant", "meta:sandboxId": sandbox.sandboxId, "meta:sandboxType": sandbox.type, "meta:tenantNamespace": tenantNamespace(s.req.org) };
}

/**
 * A field group or schema as stored and answered: the body, then the registry's attributes, with
 * the kind's own attributes (`own`) after `description`. Field groups are extensible and abstract,
 * schemas neither.
 */
export function tenantResource(s: Scope, body: Record<string, unknown>, type: ResourceType, ids: ResourceIds, own: Record<string, unknown>): Record<string, unknown> {
  const fieldGroup = type === "mixins";
  return {
    ...structuredClone(body),
    $id: ids.$id,
    "meta:altId": ids.altId,
    "meta:resourceType": type,
    version: ids.version,
    title: body.title as string,
    type: "object",
    description: typeof body.description === "string" ? body.description : "",
    ...own,
    imsOrg: s.req.org,
    "meta:extensible": fieldGroup,
    "meta:abstract": fieldGroup,
    "meta:xdmType": "object",
    "meta:registryMetadata": registryMetadata(s, ids.metadata),
    ...containerFields(s),
  };
}

/** Titles are unique across all resource types of the sandbox (help/xdm/faq.md, XDM-1521-400). */
export function titleClash(s: Scope, title: string, except?: string): EmuResponse | undefined {
  const other = [...Object.values(s.xdm.schemas), ...Object.values(s.xdm.fieldGroups)].find((r) => r.title === title && r.$id !== except);
  if (!other) return undefined;
  return schemaRegistryError(s.ctx, 400, "XDM-1521-400", "Title not unique", `Object titles must be unique. An object ${other.$id} already exists with the same title`);
}
