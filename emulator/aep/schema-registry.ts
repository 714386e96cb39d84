/**
 * Schema Registry (`/data/foundation/schemaregistry`): tenant id and usage (`/stats`), tenant field
 * groups, schemas (with JSON Patch and Profile enablement) and descriptors, per org and sandbox,
 * with the registry's `Accept` rules, paging and filters. The XDM model is in xdm.ts.
 *
 * Rules and where Adobe states them (AdobeDocs/experience-platform.en unless said otherwise):
 * - GETs need an `Accept` header; lookups need `version=1` in it (XDM-1006/1007-400), descriptor
 *   lists the `xdm` forms (XDM-1008-400), descriptor lookups no versioned `xed` form (XDM-1009-400):
 *   `help/xdm/api/getting-started.md`, `help/xdm/faq.md`, schema-registry.yaml parameters `accept`,
 *   `acceptListing`, `acceptDescriptors`.
 * - Tenant fields only under `_{TENANT_ID}` (XDM-1021-400): `help/xdm/api/field-groups.md`,
 *   `help/xdm/faq.md` "Namespace validation error".
 * - Titles unique across all resource types (XDM-1521-400): `help/xdm/faq.md` "Title not unique".
 * - A schema names exactly one class in `allOf`: schema-registry.yaml `createSchema.allOf`.
 * - `union` needs a primary identity descriptor or the identityMap field group (XDM-1528-400), and
 *   union members must merge (XDM-1413-400): `help/xdm/faq.md`; immutable tags are never removed:
 *   `help/xdm/api/schemas.md`.
 * - Identity descriptors: `xdm:sourceProperty` a "/"-path to a field of the schema, one primary
 *   identity per schema, at most 4000 descriptors per sandbox: `help/xdm/api/descriptors.md`.
 * - Paging (`orderby`, `start` = value of the primary sort field, `limit`, `property` with
 *   `== != < > <= >=` or a bare name): `help/xdm/api/appendix.md`; at most 300 results per call:
 *   `help/xdm/api/field-groups.md`.
 * Checks whose error code Adobe does not document answer the same error shape with the emulator's
 * placeholder code XDM-1000-400 (see docs/EMULATOR.md).
 */
import { schemaRegistryError as registryError, XDM_INVALID_REQUEST } from "../errors";
import type { EmuRequest, EmuResponse, EmulatorContext, RouteDef } from "../types";
import { clientOf, sandboxDescriptor, sandboxState, type AepSandboxState } from "./state";
import {
  fieldAt,
  fieldGroupFields,
  fieldGroupPropertyBlocks,
  fieldsToJsonSchema,
  findClass,
  findGlobalFieldGroup,
  findSchema,
  findTenantFieldGroup,
  GLOBAL_FIELD_GROUPS,
  IDENTITY_MAP_FIELD_GROUP,
  isProfileUnionId,
  mergeFields,
  PROFILE_CLASS,
  PROFILE_UNION_ALT_ID,
  PROFILE_UNION_ID,
  profileUnionFields,
  resolveSchemaFields,
  tenantIdOf,
  tenantNamespace,
  unionMembers,
  XDM_CLASSES,
  xdmState,
  type DescriptorRecord,
  type FieldGroupRecord,
  type MergeConflict,
  type SchemaRecord,
  type XdmField,
  type XdmResource,
  type XdmSandboxState,
} from "./xdm";

const BASE = "/data/foundation/schemaregistry";
const SPEC = "aep-schema-registry" as const;
const MAX_RESULTS = 300;
const MAX_DESCRIPTORS = 4000;
/** The emulator's code for checks whose code Adobe does not document. */
const UNDOCUMENTED_400 = XDM_INVALID_REQUEST;

// ---------------------------------------------------------------------------------------------
// Errors

/** A Schema Registry error at the emulator's clock. */
export function schemaRegistryError(ctx: EmulatorContext, status: number, code: string, title: string, detail: string): EmuResponse {
  return registryError(status, code, title, detail, ctx.now());
}

const invalid = (ctx: EmulatorContext, detail: string) => schemaRegistryError(ctx, 400, UNDOCUMENTED_400, "Invalid request", detail);

function notFound(ctx: EmulatorContext, kind: "schema" | "field group" | "descriptor", id: string): EmuResponse {
  // help/xdm/faq.md lists XDM-1010..1017-404 by resource type without the mapping; the spec's
  // `notFoundError` example (a schema) is XDM-1012-404.
  const code = kind === "schema" ? "XDM-1012-404" : "XDM-1010-404";
  const detail = kind === "descriptor" ? `The requested descriptor ${id} is not found.` : `Requested resource ${id} with version 1 is not found`;
  return schemaRegistryError(ctx, 404, code, kind === "schema" ? "Resource Not Found" : "Resource not found", detail);
}

// ---------------------------------------------------------------------------------------------
// Accept headers (help/xdm/api/getting-started.md, help/xdm/faq.md)

const LIST_ACCEPT = /^application\/vnd\.adobe\.xed(-id)?\+json$/;
const LOOKUP_ACCEPT = /^application\/vnd\.adobe\.xed(-full|-notext|-full-notext|-full-desc|-deprecatefield)?\+json$/;
const DESCRIPTOR_ACCEPT = /^application\/vnd\.adobe\.xdm(-v2)?(-id|-link)?\+json$/;

interface ParsedAccept {
  raw: string;
  media: string;
  version?: string;
}

function parseAccept(req: EmuRequest): ParsedAccept {
  const raw = (req.headers.accept ?? "").trim();
  const [media, ...params] = raw.split(";").map((s) => s.trim());
  const version = params.map((p) => /^version\s*=\s*(.+)$/i.exec(p)?.[1]).find((v) => v !== undefined);
  return { raw, media: media.toLowerCase(), version };
}

function acceptError(ctx: EmulatorContext, code: string, raw: string, expected: string): EmuResponse {
  return schemaRegistryError(ctx, 400, code, "Accept header invalid", `The supplied Accept header is not valid: ${raw} - A valid Accept value should look like ${expected}`);
}

/** `xed-id` (summaries) or `xed` (full resources), without a version. */
function listAccept(req: EmuRequest, ctx: EmulatorContext): { ids: boolean } | EmuResponse {
  const accept = parseAccept(req);
  if (!LIST_ACCEPT.test(accept.media) || accept.version !== undefined) {
    return acceptError(ctx, "XDM-1006-400", accept.raw, "application/vnd.adobe.{xed|xdm}+json");
  }
  return { ids: accept.media.includes("xed-id") };
}

/** A lookup form with `version=1` (the only major version: getting-started.md). */
function lookupAccept(req: EmuRequest, ctx: EmulatorContext): { full: boolean; notext: boolean } | EmuResponse {
  const accept = parseAccept(req);
  if (!LOOKUP_ACCEPT.test(accept.media) || accept.version === undefined) {
    return acceptError(ctx, "XDM-1007-400", accept.raw, "application/vnd.adobe.{xed|xdm}+json; version=1 (Version should be specified)");
  }
  if (accept.version.split(".")[0] !== "1") {
    // schema-registry.yaml: 406 "The specified Accept format/version is not available for this resource."
    return schemaRegistryError(ctx, 406, "XDM-1000-406", "Invalid Accept format", `The specified Accept version ${accept.version} is not available for this resource; the only major version is 1.`);
  }
  return { full: accept.media.includes("-full"), notext: accept.media.includes("notext") };
}

function isResponse(value: unknown): value is EmuResponse {
  return !!value && typeof value === "object" && "status" in value && typeof (value as EmuResponse).status === "number";
}

// ---------------------------------------------------------------------------------------------
// Listing: property filters, orderby, start, limit (help/xdm/api/appendix.md)

function attribute(resource: Record<string, unknown>, field: string): unknown {
  if (field === "updated") return (resource["meta:registryMetadata"] as Record<string, unknown> | undefined)?.["repo:lastModifiedDate"];
  if (field === "created") return (resource["meta:registryMetadata"] as Record<string, unknown> | undefined)?.["repo:createdDate"];
  return resource[field];
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a ?? "").localeCompare(String(b ?? ""));
}

/** One `property=` expression; array attributes match when one element does. */
function matchesProperty(resource: Record<string, unknown>, expression: string): boolean {
  const m = /^(.+?)(==|!=|<=|>=|<|>)(.*)$/.exec(expression.trim());
  if (!m) return attribute(resource, expression.trim()) !== undefined;
  const [, field, op, operand] = m;
  const value = attribute(resource, field.trim());
  if (value === undefined) return op === "!=";
  const values = Array.isArray(value) ? value : [value];
  const test = (v: unknown): boolean => {
    const numeric = typeof v === "number" && operand.trim() !== "" && !Number.isNaN(Number(operand));
    const c = numeric ? (v as number) - Number(operand) : compareValues(String(v), operand);
    switch (op) {
      case "==":
        return String(v) === operand;
      case "!=":
        return String(v) !== operand;
      case "<":
        return c < 0;
      case ">":
        return c > 0;
      case "<=":
        return c <= 0;
      default:
        return c >= 0;
    }
  };
  return op === "!=" ? values.every(test) : values.some(test);
}

/**
 * `property=a==1,b==2`: comma-separated expressions, all must hold. A comma starts a new
 * expression only when an operator follows, so `title==Audiences, CJA` stays one expression.
 * (A repeated `property` parameter reaches the handler as its last value only.)
 */
function splitExpressions(property: string): string[] {
  const parts = property.split(",");
  const expressions: string[] = [];
  for (const part of parts) {
    if (expressions.length > 0 && !/(==|!=|<=|>=|<|>)/.test(part)) expressions[expressions.length - 1] += `,${part}`;
    else expressions.push(part);
  }
  return expressions.map((e) => e.trim()).filter((e) => e !== "");
}

function filterByProperty<T extends Record<string, unknown>>(items: T[], property: string | undefined): T[] {
  if (!property) return items;
  const expressions = splitExpressions(property);
  return items.filter((item) => expressions.every((e) => matchesProperty(item, e)));
}

interface Page<T> {
  results: T[];
  orderby: string;
  next: string | null;
}

function paginate<T extends Record<string, unknown>>(req: EmuRequest, ctx: EmulatorContext, items: T[]): Page<T> | EmuResponse {
  const orderby = req.query.orderby || "updated";
  const keys = orderby.split(",").map((k) => k.trim()).filter((k) => k !== "").map((k) => (k.startsWith("-") ? { field: k.slice(1), sign: -1 } : { field: k.replace(/^\+/, ""), sign: 1 }));
  const sorted = [...items].sort((a, b) => {
    for (const { field, sign } of keys) {
      const c = compareValues(attribute(a, field), attribute(b, field));
      if (c !== 0) return c * sign;
    }
    return 0;
  });
  let limit = MAX_RESULTS;
  if (req.query.limit !== undefined && req.query.limit !== "") {
    const n = Number(req.query.limit);
    if (!Number.isInteger(n) || n < 0 || n > 500) return invalid(ctx, `query.limit must be an integer between 0 and 500 (got '${req.query.limit}').`);
    limit = Math.min(n, MAX_RESULTS);
  }
  const primary = keys[0];
  let remaining = sorted;
  if (req.query.start !== undefined && req.query.start !== "" && primary) {
    const start = req.query.start;
    remaining = sorted.filter((item) => {
      const value = attribute(item, primary.field);
      const c = typeof value === "number" && !Number.isNaN(Number(start)) ? value - Number(start) : compareValues(value, start);
      return primary.sign > 0 ? c > 0 : c < 0;
    });
  }
  const results = remaining.slice(0, limit);
  const last = results[results.length - 1];
  const next = remaining.length > results.length && last && primary ? String(attribute(last, primary.field) ?? "") : null;
  return { results, orderby, next };
}

function origin(req: EmuRequest): string {
  return req.headers.host ? `http://${req.headers.host}` : "https://platform.adobe.io";
}

function listResponse(req: EmuRequest, page: Page<Record<string, unknown>>, container: string, kind: string): EmuResponse {
  const nextHref = page.next === null ? null : `${origin(req)}${BASE}/${container}/${kind}?orderby=${encodeURIComponent(page.orderby)}&start=${encodeURIComponent(page.next)}`;
  return {
    status: 200,
    body: {
      results: page.results,
      _page: { orderby: page.orderby, next: page.next, count: page.results.length },
      _links: { next: nextHref, global_schemas: { href: `${origin(req)}${BASE}/global/${kind}` } },
    },
  };
}

function summary(resource: XdmResource): Record<string, unknown> {
  return { $id: resource.$id, "meta:altId": resource["meta:altId"], version: resource.version, title: resource.title };
}

/** Drops `title` and `description` everywhere (the `notext` Accept forms). */
function withoutText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutText);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => k !== "title" && k !== "description").map(([k, v]) => [k, withoutText(v)]));
  }
  return value;
}

function lookupView(resource: Record<string, unknown>, fields: Record<string, XdmField> | undefined, form: { full: boolean; notext: boolean }): Record<string, unknown> {
  let view: Record<string, unknown> = structuredClone(resource);
  if (form.full && fields) view = { ...view, properties: fieldsToJsonSchema(fields) };
  return form.notext ? (withoutText(view) as Record<string, unknown>) : view;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces of tenant resources

interface Scope {
  req: EmuRequest;
  ctx: EmulatorContext;
  state: AepSandboxState;
  xdm: XdmSandboxState;
  tenant: string;
}

function scope(req: EmuRequest, ctx: EmulatorContext): Scope {
  const state = sandboxState(req, ctx);
  return { req, ctx, state, xdm: xdmState(state), tenant: tenantIdOf(req.org) };
}

function registryMetadata(s: Scope, created?: Record<string, unknown>): Record<string, unknown> {
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

/** Titles are unique across all resource types of the sandbox (help/xdm/faq.md, XDM-1521-400). */
function titleClash(s: Scope, title: string, except?: string): EmuResponse | undefined {
  const other = [...Object.values(s.xdm.schemas), ...Object.values(s.xdm.fieldGroups)].find((r) => r.title === title && r.$id !== except);
  if (!other) return undefined;
  return schemaRegistryError(s.ctx, 400, "XDM-1521-400", "Title not unique", `Object titles must be unique. An object ${other.$id} already exists with the same title`);
}

function bumpMinor(version: string): string {
  const [major, minor] = version.split(".");
  return `${major || "1"}.${(Number(minor) || 0) + 1}`;
}

function decodeId(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

function unknownContainer(s: Scope, container: string): EmuResponse | undefined {
  if (container === "tenant" || container === "global") return undefined;
  return invalid(s.ctx, `path.CONTAINER_ID must be "global" or "tenant" (got "${container}").`);
}

function objectBody(s: Scope): Record<string, unknown> | EmuResponse {
  const body = s.req.body;
  if (!body || typeof body !== "object" || Array.isArray(body)) return invalid(s.ctx, "The request body must be a JSON object.");
  return body as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Stats

function stats(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const schemas = Object.values(s.xdm.schemas);
  const classUsage: Record<string, unknown[]> = {};
  for (const schema of schemas) {
    (classUsage[schema["meta:class"]] ??= []).push({ $id: schema.$id, "meta:altId": schema["meta:altId"], title: schema.title, description: schema.description ?? "" });
  }
  const unions = Object.keys(XDM_CLASSES).filter((classId) => unionMembers(s.xdm, classId).length > 0).length;
  return {
    status: 200,
    body: {
      imsOrg: req.org,
      tenantId: s.tenant,
      counts: { schemas: schemas.length, mixins: Object.keys(s.xdm.fieldGroups).length, datatypes: 0, classes: 0, unions },
      recentlyCreatedResources: [],
      recentlyUpdatedResources: [],
      classUsage,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Field groups

/** Adobe's view of a global field group (only the fields the emulator resolves). */
function globalFieldGroupView(id: string): Record<string, unknown> {
  const group = GLOBAL_FIELD_GROUPS[id];
  const defName = group.altId.split(".").pop() ?? "fields";
  return {
    $id: group.$id,
    "meta:altId": group.altId,
    "meta:resourceType": "mixins",
    version: "1.0",
    title: group.title,
    type: "object",
    definitions: { [defName]: { properties: fieldsToJsonSchema(group.fields) } },
    allOf: [{ $ref: `#/definitions/${defName}`, type: "object", "meta:xdmType": "object" }],
    "meta:extensible": true,
    "meta:abstract": true,
    "meta:intendedToExtend": group.intendedToExtend,
    "meta:xdmType": "object",
    "meta:containerId": "global",
  };
}

function fieldGroupsIn(s: Scope, container: string): Record<string, unknown>[] {
  return container === "global" ? Object.keys(GLOBAL_FIELD_GROUPS).map(globalFieldGroupView) : Object.values(s.xdm.fieldGroups);
}

function listFieldGroups(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const container = req.params.CONTAINER_ID;
  const bad = unknownContainer(s, container);
  if (bad) return bad;
  const accept = listAccept(req, ctx);
  if (isResponse(accept)) return accept;
  const page = paginate(req, ctx, filterByProperty(fieldGroupsIn(s, container), req.query.property));
  if (isResponse(page)) return page;
  const results = accept.ids ? page.results.map((r) => summary(r as XdmResource)) : page.results;
  return listResponse(req, { ...page, results }, container, "fieldgroups");
}

function lookupFieldGroup(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const container = req.params.CONTAINER_ID;
  const bad = unknownContainer(s, container);
  if (bad) return bad;
  const form = lookupAccept(req, ctx);
  if (isResponse(form)) return form;
  const id = decodeId(req.params.FIELD_GROUP_ID);
  if (container === "global") {
    const group = findGlobalFieldGroup(id);
    return group ? { status: 200, body: lookupView(globalFieldGroupView(group.$id), group.fields, form) } : notFound(ctx, "field group", id);
  }
  const group = findTenantFieldGroup(s.xdm, id);
  if (!group) return notFound(ctx, "field group", id);
  return { status: 200, body: lookupView(group, fieldGroupFields(group), form) };
}

/** The checks of a field group body (create and replace); the error, or undefined when it is valid. */
function fieldGroupProblem(s: Scope, body: Record<string, unknown>, self?: string): EmuResponse | undefined {
  if (typeof body.title !== "string" || body.title.trim() === "") return invalid(s.ctx, "body.title is required: a field group needs a title.");
  if (body.type !== undefined && body.type !== "object") return invalid(s.ctx, `body.type must be "object" (got ${JSON.stringify(body.type)}).`);
  const extend = body["meta:intendedToExtend"];
  if (!Array.isArray(extend) || extend.some((c) => typeof c !== "string")) {
    return invalid(s.ctx, "body.meta:intendedToExtend is required: an array of the $id of each class the field group is compatible with.");
  }
  const namespace = tenantNamespace(s.req.org);
  for (const block of fieldGroupPropertyBlocks(body)) {
    const wrong = Object.keys(block.properties).find((name) => name !== namespace);
    if (wrong !== undefined) {
      const detail = `A custom field is defined under an invalid namespace. All custom fields must be defined under a top-level field named ${namespace}. Invalid field: ${block.at}.${wrong}`;
      return schemaRegistryError(s.ctx, 400, "XDM-1021-400", "Namespace validation error", detail);
    }
  }
  return titleClash(s, body.title, self);
}

/** The field group as stored and answered: the body plus the registry's attributes. */
function fieldGroupResource(s: Scope, body: Record<string, unknown>, ids: { $id: string; altId: string; version: string; metadata?: Record<string, unknown> }): FieldGroupRecord {
  return {
    ...structuredClone(body),
    $id: ids.$id,
    "meta:altId": ids.altId,
    "meta:resourceType": "mixins",
    version: ids.version,
    title: body.title as string,
    type: "object",
    description: typeof body.description === "string" ? body.description : "",
    "meta:intendedToExtend": body["meta:intendedToExtend"] as string[],
    imsOrg: s.req.org,
    "meta:extensible": true,
    "meta:abstract": true,
    "meta:xdmType": "object",
    "meta:registryMetadata": registryMetadata(s, ids.metadata),
    ...containerFields(s),
  };
}

function createFieldGroup(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const body = objectBody(s);
  if (isResponse(body)) return body;
  const problem = fieldGroupProblem(s, body);
  if (problem) return problem;
  const hex = ctx.newId(32);
  const group = fieldGroupResource(s, body, { $id: `https://ns.adobe.com/${s.tenant}/mixins/${hex}`, altId: `_${s.tenant}.mixins.${hex}`, version: "1.0" });
  s.xdm.fieldGroups[group.$id] = group;
  ctx.state.touch();
  return { status: 201, body: group };
}

/** `PUT`: rewrites the field group (the same body as a create), keeping its ids; the minor version goes up. */
function replaceFieldGroup(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const id = decodeId(req.params.FIELD_GROUP_ID);
  const existing = findTenantFieldGroup(s.xdm, id);
  if (!existing) return notFound(ctx, "field group", id);
  const body = objectBody(s);
  if (isResponse(body)) return body;
  const problem = fieldGroupProblem(s, body, existing.$id);
  if (problem) return problem;
  const group = fieldGroupResource(s, body, {
    $id: existing.$id,
    altId: existing["meta:altId"],
    version: bumpMinor(existing.version),
    metadata: existing["meta:registryMetadata"] as Record<string, unknown>,
  });
  s.xdm.fieldGroups[group.$id] = group;
  ctx.state.touch();
  return { status: 200, body: group };
}

function deleteFieldGroup(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const id = decodeId(req.params.FIELD_GROUP_ID);
  const group = findTenantFieldGroup(s.xdm, id);
  if (!group) return notFound(ctx, "field group", id);
  // Adobe documents no refusal for a field group still in use (help/xdm/api/field-groups.md): the
  // schemas that used it simply resolve without its fields.
  delete s.xdm.fieldGroups[group.$id];
  ctx.state.touch();
  return { status: 204 };
}

// ---------------------------------------------------------------------------------------------
// Schemas

interface Composition {
  classId: string;
  fieldGroups: string[];
}

/** The class and field groups a set of `$ref`s names; exactly one class, every field group known. */
function composition(s: Scope, refs: string[], where: string): Composition | EmuResponse {
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

function composedAttributes(c: Composition): Pick<SchemaRecord, "allOf" | "meta:extends" | "meta:class"> & { refs: string[] } {
  const refs = [c.classId, ...c.fieldGroups];
  return {
    allOf: refs.map((ref) => ({ $ref: ref, type: "object", "meta:xdmType": "object" })),
    refs,
    "meta:class": c.classId,
    "meta:extends": [...new Set([c.classId, ...XDM_CLASSES[c.classId].extends, ...c.fieldGroups])],
  };
}

function refsOf(allOf: unknown, where: string, s: Scope): string[] | EmuResponse {
  if (!Array.isArray(allOf) || allOf.length === 0) return invalid(s.ctx, `${where} is required: an array of {"$ref": <class or field group $id>}.`);
  const refs: string[] = [];
  for (const [i, item] of allOf.entries()) {
    const ref = item && typeof item === "object" ? (item as Record<string, unknown>).$ref : undefined;
    if (typeof ref !== "string" || ref === "") return invalid(s.ctx, `${where}[${i}].$ref must be the $id of a class or field group.`);
    refs.push(ref);
  }
  return refs;
}

/** The checks of a schema body (create and replace): its composition, or the error. */
function schemaProblem(s: Scope, body: Record<string, unknown>, self?: string): Composition | EmuResponse {
  if (typeof body.title !== "string" || body.title.trim() === "") return invalid(s.ctx, "body.title is required: a schema needs a title.");
  if (body.type !== "object") return invalid(s.ctx, `body.type must be "object" (got ${JSON.stringify(body.type)}).`);
  if (body.description !== undefined && typeof body.description !== "string") return invalid(s.ctx, "body.description must be a string.");
  const tags = body["meta:immutableTags"];
  if (tags !== undefined && (!Array.isArray(tags) || tags.some((t) => typeof t !== "string"))) return invalid(s.ctx, "body.meta:immutableTags must be an array of strings.");
  const refs = refsOf(body.allOf, "body.allOf", s);
  if (isResponse(refs)) return refs;
  const composed = composition(s, refs, "body.allOf");
  if (isResponse(composed)) return composed;
  return titleClash(s, body.title, self) ?? composed;
}

function schemaResource(s: Scope, body: Record<string, unknown>, composed: Composition, ids: { $id: string; altId: string; version: string; metadata?: Record<string, unknown> }): SchemaRecord {
  return {
    ...structuredClone(body),
    $id: ids.$id,
    "meta:altId": ids.altId,
    "meta:resourceType": "schemas",
    version: ids.version,
    title: body.title as string,
    type: "object",
    description: typeof body.description === "string" ? body.description : "",
    ...composedAttributes(composed),
    imsOrg: s.req.org,
    "meta:extensible": false,
    "meta:abstract": false,
    "meta:xdmType": "object",
    "meta:registryMetadata": registryMetadata(s, ids.metadata),
    ...containerFields(s),
  };
}

function createSchema(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const body = objectBody(s);
  if (isResponse(body)) return body;
  const composed = schemaProblem(s, body);
  if (isResponse(composed)) return composed;
  const hex = ctx.newId(32);
  const schema = schemaResource(s, body, composed, { $id: `https://ns.adobe.com/${s.tenant}/schemas/${hex}`, altId: `_${s.tenant}.schemas.${hex}`, version: "1.0" });
  if ((schema["meta:immutableTags"] ?? []).includes("union")) {
    // A new schema has no descriptor yet: only the identityMap field group can satisfy the rule.
    const problem = unionCheck(s, schema);
    if (problem) return problem;
  }
  s.xdm.schemas[schema.$id] = schema;
  ctx.state.touch();
  return { status: 201, body: schema };
}

/**
 * `PUT`: rewrites the schema (the same body as a create), keeping its ids, class and immutable tags
 * (tags are never removed); a Profile-enabled schema must still pass the union checks.
 */
function replaceSchema(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const id = decodeId(req.params.SCHEMA_ID);
  const existing = findSchema(s.xdm, id);
  if (!existing) return notFound(ctx, "schema", id);
  const body = objectBody(s);
  if (isResponse(body)) return body;
  const composed = schemaProblem(s, body, existing.$id);
  if (isResponse(composed)) return composed;
  if (composed.classId !== existing["meta:class"]) return invalid(ctx, `body.allOf: the class of a schema cannot be changed (it is ${existing["meta:class"]}).`);
  const schema = schemaResource(s, body, composed, {
    $id: existing.$id,
    altId: existing["meta:altId"],
    version: bumpMinor(existing.version),
    metadata: existing["meta:registryMetadata"] as Record<string, unknown>,
  });
  const tags = [...new Set([...(existing["meta:immutableTags"] ?? []), ...((body["meta:immutableTags"] as string[] | undefined) ?? [])])];
  if (tags.length > 0) schema["meta:immutableTags"] = tags;
  if (tags.includes("union")) {
    const problem = unionCheck(s, schema);
    if (problem) return problem;
  }
  s.xdm.schemas[schema.$id] = schema;
  ctx.state.touch();
  return { status: 200, body: schema };
}

/** Adobe's view of the Profile union (help/xdm/api/unions.md; aep-api.md §4.5), once a Profile schema is tagged `union`. */
function profileUnionView(s: Scope): Record<string, unknown> | undefined {
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

function listSchemas(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const container = req.params.CONTAINER_ID;
  const bad = unknownContainer(s, container);
  if (bad) return bad;
  const accept = listAccept(req, ctx);
  if (isResponse(accept)) return accept;
  // The emulator has no standard (global) schemas.
  const schemas: Record<string, unknown>[] = container === "tenant" ? Object.values(s.xdm.schemas) : [];
  const page = paginate(req, ctx, filterByProperty(schemas, req.query.property));
  if (isResponse(page)) return page;
  const results = accept.ids ? page.results.map((r) => summary(r as XdmResource)) : page.results;
  return listResponse(req, { ...page, results }, container, "schemas");
}

function lookupSchema(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const container = req.params.CONTAINER_ID;
  const bad = unknownContainer(s, container);
  if (bad) return bad;
  const form = lookupAccept(req, ctx);
  if (isResponse(form)) return form;
  const id = decodeId(req.params.SCHEMA_ID);
  if (container === "tenant" && isProfileUnionId(id)) {
    const union = profileUnionView(s);
    return union ? { status: 200, body: lookupView(union, profileUnionFields(s.xdm), form) } : notFound(ctx, "schema", id);
  }
  const schema = container === "tenant" ? findSchema(s.xdm, id) : undefined;
  if (!schema) return notFound(ctx, "schema", id);
  return { status: 200, body: lookupView(schema, resolveSchemaFields(s.xdm, schema), form) };
}

function deleteSchema(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const id = decodeId(req.params.SCHEMA_ID);
  const schema = findSchema(s.xdm, id);
  if (!schema) return notFound(ctx, "schema", id);
  delete s.xdm.schemas[schema.$id];
  ctx.state.touch();
  return { status: 204 };
}

// JSON Patch (RFC 6902) on a copy of the schema ------------------------------------------------

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

function conflictError(ctx: EmulatorContext, conflict: MergeConflict, otherId: string): EmuResponse {
  const detail = `Cannot merge incompatible data types. The path ${conflict.path} has already been defined in schema (id=${otherId}) using a different data type. Types: ${conflict.types.join(", ")}`;
  return schemaRegistryError(ctx, 400, "XDM-1413-400", "Merge Schema Error", detail);
}

function hasPrimaryIdentity(xdm: XdmSandboxState, schemaId: string): boolean {
  return Object.values(xdm.descriptors).some((d) => d["@type"] === "xdm:descriptorIdentity" && d["xdm:sourceSchema"] === schemaId && d["xdm:isPrimary"] === true);
}

/** A union member must have a primary identity or identityMap (XDM-1528-400) and merge with the other members (XDM-1413-400). */
function unionCheck(s: Scope, schema: SchemaRecord): EmuResponse | undefined {
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

function patchSchema(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const id = decodeId(req.params.SCHEMA_ID);
  const schema = findSchema(s.xdm, id);
  if (!schema) return notFound(ctx, "schema", id);
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
  if (composed.classId !== schema["meta:class"]) return invalid(ctx, `allOf: the class of a schema cannot be changed (it is ${schema["meta:class"]}).`);
  const clash = titleClash(s, patched.title, schema.$id);
  if (clash) return clash;
  const next: SchemaRecord = {
    ...(patched as SchemaRecord),
    ...composedAttributes(composed),
    version: bumpMinor(schema.version),
    "meta:registryMetadata": registryMetadata(s, schema["meta:registryMetadata"] as Record<string, unknown>),
  };
  if (after.length > 0) next["meta:immutableTags"] = [...new Set(after)];
  if (after.includes("union")) {
    const problem = unionCheck(s, next);
    if (problem) return problem;
  }
  s.xdm.schemas[schema.$id] = next;
  ctx.state.touch();
  return { status: 200, body: next };
}

// ---------------------------------------------------------------------------------------------
// Descriptors

function createDescriptor(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const body = objectBody(s);
  if (isResponse(body)) return body;
  const type = body["@type"];
  if (typeof type !== "string" || type === "") return invalid(ctx, "body.@type is required (for an identity descriptor: xdm:descriptorIdentity).");
  const sourceSchemaId = body["xdm:sourceSchema"];
  if (typeof sourceSchemaId !== "string" || sourceSchemaId === "") return invalid(ctx, "body.xdm:sourceSchema is required: the $id of the schema the descriptor applies to.");
  const schema = findSchema(s.xdm, sourceSchemaId);
  if (!schema) return invalid(ctx, `body.xdm:sourceSchema: the schema ${sourceSchemaId} does not exist in this sandbox.`);
  const version = body["xdm:sourceVersion"];
  if (version !== undefined && String(version) !== "1") return invalid(ctx, `body.xdm:sourceVersion must be the schema's major version, 1 (got ${JSON.stringify(version)}).`);
  const property = body["xdm:sourceProperty"];
  if (property !== undefined || type === "xdm:descriptorIdentity") {
    // help/xdm/api/descriptors.md: "Path should begin with a "/" and not end with one. Do not include "properties" in the path".
    if (typeof property !== "string" || !property.startsWith("/") || property.endsWith("/")) {
      return invalid(ctx, `body.xdm:sourceProperty must be a path to a field of the schema that begins with "/" and does not end with one (got ${JSON.stringify(property)}).`);
    }
    if (!fieldAt(resolveSchemaFields(s.xdm, schema), property)) {
      return invalid(ctx, `body.xdm:sourceProperty: the schema ${schema.$id} has no field ${property}.`);
    }
  }
  if (type === "xdm:descriptorIdentity") {
    const namespace = body["xdm:namespace"];
    if (typeof namespace !== "string" || namespace.trim() === "") return invalid(ctx, "body.xdm:namespace is required: the code or id of the identity namespace.");
    const prop = body["xdm:property"];
    if (prop !== undefined && prop !== "xdm:code" && prop !== "xdm:id") return invalid(ctx, `body.xdm:property must be xdm:code or xdm:id (got ${JSON.stringify(prop)}).`);
    const isPrimary = body["xdm:isPrimary"];
    if (isPrimary !== undefined && typeof isPrimary !== "boolean") return invalid(ctx, "body.xdm:isPrimary must be a boolean.");
    // help/xdm/api/descriptors.md: "Schemas may contain only one primary identity."
    if (isPrimary === true && hasPrimaryIdentity(s.xdm, schema.$id)) {
      return invalid(ctx, `body.xdm:isPrimary: the schema ${schema.$id} already has a primary identity descriptor; schemas may contain only one primary identity.`);
    }
  }
  if (Object.keys(s.xdm.descriptors).length >= MAX_DESCRIPTORS) {
    return invalid(ctx, `The sandbox already has ${MAX_DESCRIPTORS} descriptors, the maximum.`);
  }
  const now = ctx.now();
  const client = clientOf(req);
  const sandbox = sandboxDescriptor(req, s.state);
  const descriptor: DescriptorRecord = {
    ...structuredClone(body),
    "@id": ctx.newId(32),
    "@type": type,
    "xdm:sourceSchema": schema.$id,
    imsOrg: req.org,
    version: "1",
    createdUser: `${client}@AdobeID`,
    createdClient: client,
    updatedUser: `${client}@AdobeID`,
    created: now,
    updated: now,
    "meta:containerId": "tenant",
    "meta:sandboxId": sandbox.sandboxId,
    "meta:sandboxType": sandbox.type,
  };
  s.xdm.descriptors[descriptor["@id"]] = descriptor;
  ctx.state.touch();
  return { status: 201, body: descriptor };
}

function listDescriptors(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const container = req.params.CONTAINER_ID;
  const bad = unknownContainer(s, container);
  if (bad) return bad;
  const accept = parseAccept(req);
  const m = DESCRIPTOR_ACCEPT.exec(accept.media);
  if (!m || accept.version !== undefined) return acceptError(ctx, "XDM-1008-400", accept.raw, "application/vnd.adobe.xdm-id+json");
  const [, v2, form] = m;
  // Descriptors live in the tenant container only (schema-registry.yaml, listDescriptors).
  const all: DescriptorRecord[] = container === "tenant" ? Object.values(s.xdm.descriptors) : [];
  const descriptors = filterByProperty(all, req.query.property);
  const render = (d: DescriptorRecord): unknown => (form === "-id" ? d["@id"] : form === "-link" ? `/tenant/descriptors/${d["@id"]}` : d);
  if (v2) {
    const page = paginate({ ...req, query: { orderby: "@id", ...req.query } }, ctx, descriptors);
    if (isResponse(page)) return page;
    return {
      status: 200,
      body: { results: page.results.map((d) => render(d as DescriptorRecord)), _page: { orderby: page.orderby, next: page.next, count: page.results.length }, _links: { next: null } },
    };
  }
  // help/xdm/api/descriptors.md: one array per @type that has descriptors, none for the others.
  const grouped: Record<string, unknown[]> = {};
  for (const d of descriptors) (grouped[d["@type"]] ??= []).push(render(d));
  return { status: 200, body: grouped };
}

function lookupDescriptor(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const container = req.params.CONTAINER_ID;
  const bad = unknownContainer(s, container);
  if (bad) return bad;
  // Descriptors are not versioned, so no Accept is needed; an `xed` form is refused (XDM-1009-400).
  const accept = parseAccept(req);
  if (accept.media.startsWith("application/vnd.adobe.") && !DESCRIPTOR_ACCEPT.test(accept.media)) {
    return acceptError(ctx, "XDM-1009-400", accept.raw, "application/vnd.adobe.xdm+json");
  }
  const id = req.params.DESCRIPTOR_ID;
  const descriptor = container === "tenant" ? s.xdm.descriptors[id] : undefined;
  return descriptor ? { status: 200, body: descriptor } : notFound(ctx, "descriptor", id);
}

function deleteDescriptor(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const id = req.params.DESCRIPTOR_ID;
  if (!s.xdm.descriptors[id]) return notFound(ctx, "descriptor", id);
  delete s.xdm.descriptors[id];
  ctx.state.touch();
  return { status: 204 };
}

// ---------------------------------------------------------------------------------------------

const route = (method: RouteDef["method"], path: string, handler: RouteDef["handler"]): RouteDef => ({ method, path: `${BASE}${path}`, service: "aep", spec: SPEC, handler });

/** Schema Registry routes, each bound to its operation in aep-schema-registry.yaml. */
export const schemaRegistryRoutes: RouteDef[] = [
  route("GET", "/stats", stats),
  route("GET", "/:CONTAINER_ID/fieldgroups", listFieldGroups),
  route("GET", "/:CONTAINER_ID/fieldgroups/:FIELD_GROUP_ID", lookupFieldGroup),
  route("POST", "/tenant/fieldgroups", createFieldGroup),
  route("PUT", "/tenant/fieldgroups/:FIELD_GROUP_ID", replaceFieldGroup),
  route("DELETE", "/tenant/fieldgroups/:FIELD_GROUP_ID", deleteFieldGroup),
  route("GET", "/:CONTAINER_ID/schemas", listSchemas),
  route("GET", "/:CONTAINER_ID/schemas/:SCHEMA_ID", lookupSchema),
  route("POST", "/tenant/schemas", createSchema),
  route("PUT", "/tenant/schemas/:SCHEMA_ID", replaceSchema),
  route("PATCH", "/tenant/schemas/:SCHEMA_ID", patchSchema),
  route("DELETE", "/tenant/schemas/:SCHEMA_ID", deleteSchema),
  route("GET", "/:CONTAINER_ID/descriptors", listDescriptors),
  route("GET", "/:CONTAINER_ID/descriptors/:DESCRIPTOR_ID", lookupDescriptor),
  route("POST", "/tenant/descriptors", createDescriptor),
  route("DELETE", "/tenant/descriptors/:DESCRIPTOR_ID", deleteDescriptor),
];
