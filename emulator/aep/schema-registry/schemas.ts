/**
 * Schemas (`/:CONTAINER_ID/schemas`): the tenant's, created, replaced and deleted, their
 * composition (one class and field groups in `allOf`), and the Profile union's lookup. The global
 * container has no schemas in the emulator. JSON Patch is in schema-patch.ts, the union rules in
 * union.ts.
 */
import type { EmuResponse } from "../../types";
import { findClass, findGlobalFieldGroup, findSchema, findTenantFieldGroup, isProfileUnionId, profileUnionFields, resolveSchemaFields, XDM_CLASSES, type SchemaRecord } from "../xdm";
import { invalid, isResponse, type Scope } from "./common";
import { tenantResource, titleClash, type ResourceIds } from "./registry-attributes";
import { createHandler, deleteHandler, listHandler, lookupHandler, replaceHandler, type ResourceKind } from "./resource-handlers";
import { profileUnionView, unionCheck } from "./union";

export interface Composition {
  classId: string;
  fieldGroups: string[];
}

/**
 * The class and field groups a set of `$ref`s names; exactly one class, every field group known
 * (schema-registry.yaml `createSchema.allOf`).
 */
export function composition(s: Scope, refs: string[], where: string): Composition | EmuResponse {
  const classes: string[] = [];
  const fieldGroups: string[] = [];
  for (const ref of refs) {
    const cls = findClass(ref);
    if (cls) {
      if (!classes.includes(cls.$id)) classes.push(cls.$id);
      continue;
    }
    const group = findTenantFieldGroup(s.xdm, ref) ?? findGlobalFieldGroup(ref);
    if (!group) {
      return invalid(s.ctx, `${where} references ${ref}, which is neither a class the registry knows (${Object.keys(XDM_CLASSES).join(", ")}) nor a field group of this sandbox.`);
    }
    if (!fieldGroups.includes(group.$id)) fieldGroups.push(group.$id);
  }
  if (classes.length !== 1) {
    return invalid(s.ctx, `${where} must reference exactly one class (found ${classes.length === 0 ? "none" : classes.join(", ")}).`);
  }
  return { classId: classes[0], fieldGroups };
}

export function composedAttributes(c: Composition): Pick<SchemaRecord, "allOf" | "meta:extends" | "meta:class"> {
  return {
    allOf: [c.classId, ...c.fieldGroups].map((ref) => ({ $ref: ref, type: "object", "meta:xdmType": "object" })),
    "meta:class": c.classId,
    "meta:extends": [...new Set([c.classId, ...XDM_CLASSES[c.classId].extends, ...c.fieldGroups])],
  };
}

export function refsOf(allOf: unknown, where: string, s: Scope): string[] | EmuResponse {
  if (!Array.isArray(allOf) || allOf.length === 0) return invalid(s.ctx, `${where} is required: an array of {"$ref": <class or field group $id>}.`);
  const refs: string[] = [];
  for (const [i, item] of allOf.entries()) {
    const ref = item && typeof item === "object" ? (item as Record<string, unknown>).$ref : undefined;
    if (typeof ref !== "string" || ref === "") return invalid(s.ctx, `${where}[${i}].$ref must be the $id of a class or field group.`);
    refs.push(ref);
  }
  return refs;
}

/** A rewrite (PUT or PATCH) keeps the schema's class. */
export function classChanged(s: Scope, where: string, composed: Composition, existing: SchemaRecord): EmuResponse | undefined {
  if (composed.classId === existing["meta:class"]) return undefined;
  return invalid(s.ctx, `${where}: the class of a schema cannot be changed (it is ${existing["meta:class"]}).`);
}

/** The checks of a schema body (create and replace): its composition, or the error. */
function schemaProblem(s: Scope, body: Record<string, unknown>, existing?: SchemaRecord): Composition | EmuResponse {
  if (typeof body.title !== "string" || body.title.trim() === "") return invalid(s.ctx, "body.title is required: a schema needs a title.");
  if (body.type !== "object") return invalid(s.ctx, `body.type must be "object" (got ${JSON.stringify(body.type)}).`);
  if (body.description !== undefined && typeof body.description !== "string") return invalid(s.ctx, "body.description must be a string.");
  const tags = body["meta:immutableTags"];
  if (tags !== undefined && (!Array.isArray(tags) || tags.some((t) => typeof t !== "string"))) return invalid(s.ctx, "body.meta:immutableTags must be an array of strings.");
  const refs = refsOf(body.allOf, "body.allOf", s);
  if (isResponse(refs)) return refs;
  const composed = composition(s, refs, "body.allOf");
  if (isResponse(composed)) return composed;
  return titleClash(s, body.title, existing?.$id) ?? (existing && classChanged(s, "body.allOf", composed, existing)) ?? composed;
}

/**
 * The schema as stored and answered. A PUT keeps the immutable tags (tags are never removed,
 * help/xdm/api/schemas.md) and adds the body's.
 */
function schemaResource(s: Scope, body: Record<string, unknown>, composed: Composition, ids: ResourceIds, existing?: SchemaRecord): SchemaRecord {
  const schema = tenantResource(s, body, "schemas", ids, composedAttributes(composed)) as SchemaRecord;
  if (existing) {
    const tags = [...new Set([...(existing["meta:immutableTags"] ?? []), ...((body["meta:immutableTags"] as string[] | undefined) ?? [])])];
    if (tags.length > 0) schema["meta:immutableTags"] = tags;
  }
  return schema;
}

export const schemaKind: ResourceKind<SchemaRecord, Composition> = {
  noun: "schema",
  type: "schemas",
  path: "schemas",
  idParam: "SCHEMA_ID",
  stored: (xdm) => xdm.schemas,
  find: findSchema,
  // The emulator has no standard (global) schemas.
  listed: (s, container) => (container === "tenant" ? Object.values(s.xdm.schemas) : []),
  lookedUp(s, container, id) {
    if (container !== "tenant") return undefined;
    if (isProfileUnionId(id)) {
      const union = profileUnionView(s);
      return union && { resource: union, fields: profileUnionFields(s.xdm) };
    }
    const schema = findSchema(s.xdm, id);
    return schema && { resource: schema, fields: resolveSchemaFields(s.xdm, schema) };
  },
  check: schemaProblem,
  build: schemaResource,
  // A Profile-enabled schema must pass the union checks; a new schema has no descriptor yet, so
  // only the identityMap field group can satisfy them.
  resourceProblem: (s, schema) => ((schema["meta:immutableTags"] ?? []).includes("union") ? unionCheck(s, schema) : undefined),
};

export const listSchemas = listHandler(schemaKind);
export const lookupSchema = lookupHandler(schemaKind);
export const createSchema = createHandler(schemaKind);
/**
 * `PUT`: rewrites the schema (the same body as a create), keeping its ids, class and immutable tags
 * (tags are never removed); a Profile-enabled schema must still pass the union checks.
 */
export const replaceSchema = replaceHandler(schemaKind);
export const deleteSchema = deleteHandler(schemaKind);
