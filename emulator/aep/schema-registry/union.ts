/**
 * The Profile union: the checks a schema tagged `union` must pass, and the union's view.
 * `union` needs a primary identity descriptor or the identityMap field group (XDM-1528-400), and
 * union members must merge (XDM-1413-400): AdobeDocs/experience-platform.en `help/xdm/faq.md`,
 * `help/xdm/tutorials/create-schema-api.md`; the union's view: `help/xdm/api/unions.md`.
 */
import type { EmuResponse, EmulatorContext } from "../../types";
import {
  IDENTITY_MAP_FIELD_GROUP,
  mergeFields,
  PROFILE_CLASS,
  PROFILE_UNION_ALT_ID,
  PROFILE_UNION_ID,
  resolveSchemaFields,
  unionMembers,
  XDM_CLASSES,
  type MergeConflict,
  type SchemaRecord,
} from "../xdm";
import { schemaRegistryError, type Scope } from "./common";
import { hasPrimaryIdentity } from "./descriptors";

function conflictError(ctx: EmulatorContext, conflict: MergeConflict, otherId: string): EmuResponse {
  const detail = `Cannot merge incompatible data types. The path ${conflict.path} has already been defined in schema (id=${otherId}) using a different data type. Types: ${conflict.types.join(", ")}`;
  return schemaRegistryError(ctx, 400, "XDM-1413-400", "Merge Schema Error", detail);
}

/** A union member must have a primary identity or identityMap (XDM-1528-400) and merge with the other members (XDM-1413-400). */
export function unionCheck(s: Scope, schema: SchemaRecord): EmuResponse | undefined {
  if (!hasPrimaryIdentity(s.xdm, schema.$id) && !schema["meta:extends"].includes(IDENTITY_MAP_FIELD_GROUP)) {
    return schemaRegistryError(s.ctx, 400, "XDM-1528-400", "Union descriptor validation error", "To participate in a union, a schema must include an identityMap fieldgroup or a primary identity descriptor.");
  }
  const own = resolveSchemaFields(s.xdm, schema);
  for (const other of unionMembers(s.xdm, schema["meta:class"]).filter((m) => m.$id !== schema.$id)) {
    const conflicts = mergeFields(resolveSchemaFields(s.xdm, other), own);
    if (conflicts.length > 0) return conflictError(s.ctx, conflicts[0], other.$id.split("/").pop() ?? other.$id);
  }
  return undefined;
}

/** Adobe's view of the Profile union (help/xdm/api/unions.md; aep-api.md §4.5), once a Profile schema is tagged `union`. */
export function profileUnionView(s: Scope): Record<string, unknown> | undefined {
  const members = unionMembers(s.xdm, PROFILE_CLASS);
  if (members.length === 0) return undefined;
  const extendsIds = [...new Set(members.flatMap((m) => [m.$id, ...m["meta:extends"]]))];
  return {
    $id: PROFILE_UNION_ID,
    "meta:altId": PROFILE_UNION_ALT_ID,
    "meta:resourceType": "unions",
    version: "1.0",
    title: XDM_CLASSES[PROFILE_CLASS].title,
    type: "object",
    description: "The union of the sandbox's Profile-enabled schemas of the XDM Individual Profile class.",
    allOf: [...new Set(members.flatMap((m) => m.allOf.map((a) => a.$ref)))].map((ref) => ({ $ref: ref })),
    imsOrg: s.req.org,
    "meta:extends": extendsIds,
    "meta:xdmType": "object",
    "meta:class": PROFILE_CLASS,
    "meta:containerId": "tenant",
  };
}
