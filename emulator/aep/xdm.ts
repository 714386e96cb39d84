/**
 * The XDM model behind the emulated Schema Registry: the standard classes and global field groups
 * the emulator knows, the tenant id of an org, the registry's per-sandbox state, and how a schema's
 * fields are resolved (class fields, then each field group's, objects merged recursively).
 *
 * Sources (AdobeDocs/experience-platform.en unless said otherwise):
 * - XDM Individual Profile fields: `help/xdm/classes/individual-profile.md` ("`personID` | A unique
 *   identifier for the individual person this record relates to ..."; also `_repo`, `_id`,
 *   `createdByBatchID`, `modifiedByBatchID`, `repositoryCreatedBy`, `repositoryLastModifiedBy`).
 * - Profile schema `meta:extends` (auditable, record, profile): the `createSchemaResponse` example
 *   of Adobe's schema-registry.yaml.
 * - Global field groups (`profile-person-details`, `profile-personal-details`): the
 *   `listFieldGroupsResponse` example of schema-registry.yaml; `identitymap` is the field group the
 *   XDM-1528-400 error names (`help/xdm/faq.md`).
 * - The Profile union always has `identityMap` and `segmentMembership` (`help/xdm/api/unions.md`,
 *   see aep-api.md §2.8); its `$id` is the class `$id` plus `__union` (aep-api.md §4.5).
 */
import type { AepSandboxState } from "./state";

/** A field of a schema: its XDM type and, for objects, its properties; for arrays, its items. */
export interface XdmField {
  type: string;
  properties?: Record<string, XdmField>;
  items?: XdmField;
}

export const PROFILE_CLASS = "https://ns.adobe.com/xdm/context/profile";
export const EXPERIENCE_EVENT_CLASS = "https://ns.adobe.com/xdm/context/experienceevent";
export const PROFILE_UNION_ID = `${PROFILE_CLASS}__union`;
export const PROFILE_UNION_ALT_ID = "_xdm.context.profile__union";
export const IDENTITY_MAP_FIELD_GROUP = "https://ns.adobe.com/xdm/context/identitymap";

const str = (): XdmField => ({ type: "string" });
const obj = (properties: Record<string, XdmField> = {}): XdmField => ({ type: "object", properties });

/** A standard (global) XDM class the emulator knows. */
export interface XdmClass {
  $id: string;
  altId: string;
  title: string;
  /** What Adobe lists in a schema's `meta:extends` after the class itself (behavior, mixins of the class). */
  extends: string[];
  fields: Record<string, XdmField>;
}

export const XDM_CLASSES: Record<string, XdmClass> = {
  [PROFILE_CLASS]: {
    $id: PROFILE_CLASS,
    altId: "_xdm.context.profile",
    title: "XDM Individual Profile",
    extends: ["https://ns.adobe.com/xdm/common/auditable", "https://ns.adobe.com/xdm/data/record"],
    // help/xdm/classes/individual-profile.md
    fields: {
      _id: str(),
      personID: str(),
      _repo: obj({ createDate: str(), modifyDate: str() }),
      createdByBatchID: str(),
      modifiedByBatchID: str(),
      repositoryCreatedBy: str(),
      repositoryLastModifiedBy: str(),
    },
  },
  [EXPERIENCE_EVENT_CLASS]: {
    $id: EXPERIENCE_EVENT_CLASS,
    altId: "_xdm.context.experienceevent",
    title: "XDM ExperienceEvent",
    extends: ["https://ns.adobe.com/xdm/data/time-series"],
    fields: { _id: str(), timestamp: str(), eventType: str() },
  },
};

/** A field group of the global container (Adobe's), reduced to what the emulator resolves. */
export interface GlobalFieldGroup {
  $id: string;
  altId: string;
  title: string;
  intendedToExtend: string[];
  fields: Record<string, XdmField>;
}

export const GLOBAL_FIELD_GROUPS: Record<string, GlobalFieldGroup> = {
  [IDENTITY_MAP_FIELD_GROUP]: {
    $id: IDENTITY_MAP_FIELD_GROUP,
    altId: "_xdm.context.identitymap",
    title: "IdentityMap",
    intendedToExtend: [PROFILE_CLASS, EXPERIENCE_EVENT_CLASS],
    fields: { identityMap: obj() },
  },
  "https://ns.adobe.com/xdm/context/profile-person-details": {
    $id: "https://ns.adobe.com/xdm/context/profile-person-details",
    altId: "_xdm.context.profile-person-details",
    title: "Demographic Details",
    intendedToExtend: [PROFILE_CLASS],
    fields: { person: obj() },
  },
  "https://ns.adobe.com/xdm/context/profile-personal-details": {
    $id: "https://ns.adobe.com/xdm/context/profile-personal-details",
    altId: "_xdm.context.profile-personal-details",
    title: "Personal Contact Details",
    intendedToExtend: [PROFILE_CLASS],
    fields: {
      personalEmail: obj({ address: str() }),
      mobilePhone: obj({ number: str() }),
      homePhone: obj({ number: str() }),
      faxPhone: obj({ number: str() }),
      homeAddress: obj(),
    },
  },
};

/** Fields every Profile union has besides its members' (aep-api.md §2.8, §4.5). */
const PROFILE_UNION_EXTRA_FIELDS: Record<string, XdmField> = {
  identityMap: obj(),
  segmentMembership: obj(),
  personalEmail: obj({ address: str() }),
  person: obj(),
};

/** A resource as the Schema Registry returns it (`$id`, `meta:altId`, `title`, ... and whatever was posted). */
export interface XdmResource {
  $id: string;
  "meta:altId": string;
  title: string;
  version: string;
  [attribute: string]: unknown;
}

export interface FieldGroupRecord extends XdmResource {
  "meta:intendedToExtend": string[];
  definitions?: Record<string, unknown>;
  properties?: Record<string, unknown>;
}

export interface SchemaRecord extends XdmResource {
  "meta:class": string;
  /** The class, its behavior and the field groups, as Adobe lists them. */
  "meta:extends": string[];
  allOf: Array<{ $ref: string; [k: string]: unknown }>;
  "meta:immutableTags"?: string[];
}

export interface DescriptorRecord {
  "@id": string;
  "@type": string;
  "xdm:sourceSchema": string;
  "xdm:sourceProperty"?: string;
  "xdm:isPrimary"?: boolean;
  [attribute: string]: unknown;
}

/** The Schema Registry's part of a sandbox: tenant resources by `$id`, descriptors by `@id`. */
export interface XdmSandboxState {
  fieldGroups: Record<string, FieldGroupRecord>;
  schemas: Record<string, SchemaRecord>;
  descriptors: Record<string, DescriptorRecord>;
}

export function emptyXdmState(): XdmSandboxState {
  return { fieldGroups: {}, schemas: {}, descriptors: {} };
}

/** The sandbox's Schema Registry state; filled in for state loaded from a file written before it existed. */
export function xdmState(state: AepSandboxState): XdmSandboxState {
  const xdm = (state.xdm ??= emptyXdmState());
  xdm.fieldGroups ??= {};
  xdm.schemas ??= {};
  xdm.descriptors ??= {};
  return xdm;
}

/**
 * The tenant id of an org: the part of the org id before `@`, lower-cased, without
 * non-alphanumerics (`TESTORG0000000000000000@AdobeOrg` → `testorg0000000000000000`). Adobe assigns
 * a name; the emulator derives one so every org has a stable, distinct tenant.
 */
export function tenantIdOf(org: string): string {
  return org.split("@")[0].toLowerCase().replace(/[^a-z0-9]/g, "") || "tenant";
}

/** `_{TENANT_ID}`: the one top-level field tenant resources may define. */
export function tenantNamespace(org: string): string {
  return `_${tenantIdOf(org)}`;
}

function byId<T extends { $id: string; "meta:altId"?: string; altId?: string }>(records: Record<string, T>, id: string): T | undefined {
  if (records[id]) return records[id];
  return Object.values(records).find((r) => r["meta:altId"] === id || r.altId === id);
}

export function findSchema(xdm: XdmSandboxState, id: string): SchemaRecord | undefined {
  return byId(xdm.schemas, id);
}

export function findTenantFieldGroup(xdm: XdmSandboxState, id: string): FieldGroupRecord | undefined {
  return byId(xdm.fieldGroups, id);
}

export function findGlobalFieldGroup(id: string): GlobalFieldGroup | undefined {
  return byId(GLOBAL_FIELD_GROUPS, id);
}

export function findClass(id: string): XdmClass | undefined {
  return byId(XDM_CLASSES, id);
}

export function isProfileUnionId(id: string): boolean {
  return id === PROFILE_UNION_ID || id === PROFILE_UNION_ALT_ID;
}

/** A JSON Schema property definition as posted in a field group, read as an XDM field. */
export function fieldFromJsonSchema(definition: unknown): XdmField {
  const d = (definition && typeof definition === "object" ? definition : {}) as Record<string, unknown>;
  const properties = d.properties && typeof d.properties === "object" ? fieldsFromJsonSchema(d.properties) : undefined;
  const declared = typeof d.type === "string" ? d.type : undefined;
  // A `$ref` to a data type (not resolved by the emulator) is an object.
  const type = declared ?? (properties || d.$ref !== undefined ? "object" : d.items !== undefined ? "array" : "string");
  const field: XdmField = { type };
  if (properties) field.properties = properties;
  else if (type === "object") field.properties = {};
  if (type === "array" && d.items !== undefined) field.items = fieldFromJsonSchema(d.items);
  return field;
}

export function fieldsFromJsonSchema(properties: unknown): Record<string, XdmField> {
  if (!properties || typeof properties !== "object") return {};
  return Object.fromEntries(Object.entries(properties as Record<string, unknown>).map(([name, def]) => [name, fieldFromJsonSchema(def)]));
}

/**
 * Where a field group defines top-level fields: `definitions.<name>.properties` for each
 * definition, and `properties` when given. Each entry: a readable location and the properties.
 */
export function fieldGroupPropertyBlocks(body: Record<string, unknown>): Array<{ at: string; properties: Record<string, unknown> }> {
  const blocks: Array<{ at: string; properties: Record<string, unknown> }> = [];
  const definitions = body.definitions;
  if (definitions && typeof definitions === "object") {
    for (const [name, def] of Object.entries(definitions as Record<string, unknown>)) {
      const props = def && typeof def === "object" ? (def as Record<string, unknown>).properties : undefined;
      if (props && typeof props === "object") blocks.push({ at: `definitions.${name}.properties`, properties: props as Record<string, unknown> });
    }
  }
  if (body.properties && typeof body.properties === "object") blocks.push({ at: "properties", properties: body.properties as Record<string, unknown> });
  return blocks;
}

/** The fields a tenant or global field group adds to a schema. */
export function fieldGroupFields(group: FieldGroupRecord | GlobalFieldGroup): Record<string, XdmField> {
  if (!("meta:altId" in group)) return structuredClone(group.fields);
  const fields: Record<string, XdmField> = {};
  for (const block of fieldGroupPropertyBlocks(group)) mergeFields(fields, fieldsFromJsonSchema(block.properties));
  return fields;
}

/** Two definitions of one path with different types (Adobe's XDM-1413-400). */
export interface MergeConflict {
  path: string;
  types: [string, string];
}

/** Merges `source` into `target` (objects recursively); a type clash keeps the first and is reported. */
export function mergeFields(target: Record<string, XdmField>, source: Record<string, XdmField>, at = "", conflicts: MergeConflict[] = []): MergeConflict[] {
  for (const [name, field] of Object.entries(source)) {
    const path = `${at}/${name}`;
    const existing = target[name];
    if (!existing) {
      target[name] = structuredClone(field);
      continue;
    }
    if (existing.type !== field.type) {
      conflicts.push({ path, types: [existing.type, field.type] });
      continue;
    }
    if (field.properties) mergeFields((existing.properties ??= {}), field.properties, path, conflicts);
    if (field.items && existing.items) {
      if (existing.items.type !== field.items.type) conflicts.push({ path: `${path}/items`, types: [existing.items.type, field.items.type] });
      else if (field.items.properties) mergeFields((existing.items.properties ??= {}), field.items.properties, `${path}/items`, conflicts);
    }
  }
  return conflicts;
}

/** The field group `$id`s a schema uses, in order (tenant and global). */
export function schemaFieldGroupIds(schema: Pick<SchemaRecord, "meta:extends">): string[] {
  return schema["meta:extends"].filter((id) => !XDM_CLASSES[id] && !id.startsWith("https://ns.adobe.com/xdm/data/") && id !== "https://ns.adobe.com/xdm/common/auditable");
}

/** A schema's fields: its class's, then each field group's; field groups deleted since are skipped. */
export function resolveSchemaFields(xdm: XdmSandboxState, schema: Pick<SchemaRecord, "meta:class" | "meta:extends">, conflicts: MergeConflict[] = []): Record<string, XdmField> {
  const fields = structuredClone(XDM_CLASSES[schema["meta:class"]]?.fields ?? {});
  for (const id of schemaFieldGroupIds(schema)) {
    const group = xdm.fieldGroups[id] ?? GLOBAL_FIELD_GROUPS[id];
    if (group) mergeFields(fields, fieldGroupFields(group), "", conflicts);
  }
  return fields;
}

/** The schemas of the sandbox that take part in the union of `classId` (tagged `union`). */
export function unionMembers(xdm: XdmSandboxState, classId: string): SchemaRecord[] {
  return Object.values(xdm.schemas).filter((s) => s["meta:class"] === classId && (s["meta:immutableTags"] ?? []).includes("union"));
}

/** The Profile union's fields: the class, every Profile schema tagged `union`, and the union's own fields. */
export function profileUnionFields(xdm: XdmSandboxState, conflicts: MergeConflict[] = []): Record<string, XdmField> {
  const fields = structuredClone(XDM_CLASSES[PROFILE_CLASS].fields);
  for (const member of unionMembers(xdm, PROFILE_CLASS)) mergeFields(fields, resolveSchemaFields(xdm, member), "", conflicts);
  mergeFields(fields, PROFILE_UNION_EXTRA_FIELDS, "", conflicts);
  return fields;
}

/** The top-level fields of the schema a dataset names (`schemaRef.id`, either its `$id` or `meta:altId`), or undefined when the sandbox has no such schema. */
export function schemaFields(state: AepSandboxState, org: string, schemaId: string): Record<string, XdmField> | undefined {
  void org; // The state is already the org's; the parameter keeps callers explicit about whose schema it is.
  const xdm = xdmState(state);
  if (isProfileUnionId(schemaId)) return profileUnionFields(xdm);
  const schema = findSchema(xdm, schemaId);
  return schema ? resolveSchemaFields(xdm, schema) : undefined;
}

/** Whether the schema is enabled for Real-Time Customer Profile (`union` in its `meta:immutableTags`). */
export function isProfileEnabledSchema(state: AepSandboxState, org: string, schemaId: string): boolean {
  void org;
  const schema = findSchema(xdmState(state), schemaId);
  return (schema?.["meta:immutableTags"] ?? []).includes("union");
}

/** The field a descriptor's `xdm:sourceProperty` JSON pointer (`/personalEmail/address`) names, if any. */
export function fieldAt(fields: Record<string, XdmField>, pointer: string): XdmField | undefined {
  if (!pointer.startsWith("/") || pointer.endsWith("/")) return undefined;
  const segments = pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  let level: Record<string, XdmField> | undefined = fields;
  let found: XdmField | undefined;
  for (const segment of segments) {
    found = level?.[segment];
    if (!found) return undefined;
    level = found.type === "array" ? found.items?.properties : found.properties;
  }
  return found;
}

/** Fields as JSON Schema `properties` (the resolved `xed-full` form of a resource). */
export function fieldsToJsonSchema(fields: Record<string, XdmField>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, field]) => {
      const out: Record<string, unknown> = { type: field.type, "meta:xdmType": field.type };
      if (field.properties) out.properties = fieldsToJsonSchema(field.properties);
      if (field.items) out.items = fieldsToJsonSchema({ item: field.items }).item;
      return [name, out];
    }),
  );
}
