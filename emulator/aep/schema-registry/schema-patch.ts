/**
 * `PATCH /tenant/schemas/{id}`: JSON Patch (RFC 6902) on a copy of the schema, then the schema's
 * rules on the result. Immutable tags are never removed (AdobeDocs/experience-platform.en
 * `help/xdm/api/schemas.md`), the attributes the registry assigns cannot be patched, the class
 * cannot change, and a schema tagged `union` must pass the union checks.
 */
import type { EmuRequest, EmuResponse, EmulatorContext } from "../../types";
import { XDM_CLASSES, type SchemaRecord } from "../xdm";
import { invalid, isResponse, scope } from "./common";
import { bumpMinor, registryMetadata, titleClash } from "./registry-attributes";
import { existingResource, saveResource } from "./resource-handlers";
import { classChanged, composedAttributes, composition, refsOf, schemaKind } from "./schemas";

type Json = unknown;

function pointerSegments(path: string): string[] {
  const p = path.startsWith("/") ? path : `/${path}`;
  return p.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function applyOperation(doc: Record<string, unknown>, op: string, path: string, value: Json, index: number): string | undefined {
  const segments = pointerSegments(path);
  if (segments.length === 1 && segments[0] === "") return `body[${index}].path must name an attribute of the schema.`;
  let parent: unknown = doc;
  for (const segment of segments.slice(0, -1)) {
    const next = Array.isArray(parent) ? parent[Number(segment)] : (parent as Record<string, unknown> | undefined)?.[segment];
    if (next === undefined || next === null || typeof next !== "object") return `body[${index}].path ${path} does not exist in the schema.`;
    parent = next;
  }
  const last = segments[segments.length - 1];
  if (Array.isArray(parent)) {
    const at = last === "-" ? parent.length : Number(last);
    if (!Number.isInteger(at) || at < 0 || at > parent.length || (op !== "add" && at >= parent.length)) return `body[${index}].path ${path} is not a valid array index.`;
    if (op === "add") parent.splice(at, 0, structuredClone(value));
    else if (op === "replace") parent[at] = structuredClone(value);
    else parent.splice(at, 1);
    return undefined;
  }
  const target = parent as Record<string, unknown>;
  if (op !== "add" && !(last in target)) return `body[${index}].path ${path} does not exist in the schema.`;
  if (op === "remove") delete target[last];
  else target[last] = structuredClone(value);
  return undefined;
}

/** Attributes the registry assigns; a PATCH cannot change them. */
const READ_ONLY = ["$id", "meta:altId", "meta:resourceType", "version", "imsOrg", "meta:containerId", "meta:sandboxId", "meta:sandboxType", "meta:tenantNamespace", "meta:registryMetadata", "meta:class"];

export function patchSchema(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const schema = existingResource(schemaKind, s);
  if (isResponse(schema)) return schema;
  const ops = req.body;
  if (!Array.isArray(ops) || ops.length === 0) return invalid(ctx, "The request body must be a JSON Patch array of {op, path, value}.");
  const patched = structuredClone(schema) as Record<string, unknown>;
  for (const [i, raw] of ops.entries()) {
    const item = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
    const { op, path } = item;
    if (op !== "add" && op !== "remove" && op !== "replace") return invalid(ctx, `body[${i}].op must be add, remove or replace (got ${JSON.stringify(op)}).`);
    if (typeof path !== "string") return invalid(ctx, `body[${i}].path is required.`);
    if (op !== "remove" && !("value" in item)) return invalid(ctx, `body[${i}].value is required for ${op}.`);
    const top = pointerSegments(path)[0];
    if (READ_ONLY.includes(top)) return invalid(ctx, `body[${i}].path ${path}: ${top} is assigned by the Schema Registry and cannot be changed.`);
    const problem = applyOperation(patched, op, path, item.value, i);
    if (problem) return invalid(ctx, problem);
  }
  if (typeof patched.title !== "string" || patched.title.trim() === "") return invalid(ctx, "title must be a non-empty string.");
  if (patched.description !== undefined && typeof patched.description !== "string") return invalid(ctx, "description must be a string.");
  const tags = patched["meta:immutableTags"];
  if (tags !== undefined && (!Array.isArray(tags) || tags.some((t) => typeof t !== "string"))) return invalid(ctx, "meta:immutableTags must be an array of strings.");
  const before = schema["meta:immutableTags"] ?? [];
  const after = (tags as string[] | undefined) ?? [];
  const removed = before.filter((t) => !after.includes(t));
  // help/xdm/api/schemas.md: "Immutable tags are tags that are intended to be set, but never removed."
  if (removed.length > 0) return invalid(ctx, `meta:immutableTags: immutable tags cannot be removed (${removed.join(", ")}).`);
  // The composition: allOf, plus field groups named only in meta:extends (schemas.md adds to both).
  const refs = refsOf(patched.allOf, "allOf", s);
  if (isResponse(refs)) return refs;
  const extendsList = patched["meta:extends"];
  if (!Array.isArray(extendsList) || extendsList.some((e) => typeof e !== "string")) return invalid(ctx, "meta:extends must be an array of $id strings.");
  const behaviorIds = new Set(Object.values(XDM_CLASSES).flatMap((c) => c.extends));
  const extra = (extendsList as string[]).filter((e) => !refs.includes(e) && !behaviorIds.has(e));
  const composed = composition(s, [...refs, ...extra], "allOf");
  if (isResponse(composed)) return composed;
  const classProblem = classChanged(s, "allOf", composed, schema);
  if (classProblem) return classProblem;
  const clash = titleClash(s, patched.title, schema.$id);
  if (clash) return clash;
  const next: SchemaRecord = {
    ...(patched as SchemaRecord),
    ...composedAttributes(composed),
    version: bumpMinor(schema.version),
    "meta:registryMetadata": registryMetadata(s, schema["meta:registryMetadata"] as Record<string, unknown>),
  };
  if (after.length > 0) next["meta:immutableTags"] = [...new Set(after)];
  return saveResource(schemaKind, s, next, 200);
}
