/**
 * Field groups (`/:CONTAINER_ID/fieldgroups`): the global ones the emulator knows (xdm.ts), and
 * the tenant's, created, replaced and deleted. Tenant fields only under `_{TENANT_ID}`
 * (XDM-1021-400): AdobeDocs/experience-platform.en `help/xdm/api/field-groups.md`,
 * `help/xdm/faq.md` "Namespace validation error".
 */
import type { EmuResponse } from "../../types";
import {
  fieldGroupFields,
  fieldGroupPropertyBlocks,
  fieldsToJsonSchema,
  findGlobalFieldGroup,
  findTenantFieldGroup,
  GLOBAL_FIELD_GROUPS,
  tenantNamespace,
  type FieldGroupRecord,
} from "../xdm";
import { invalid, schemaRegistryError, type Scope } from "./common";
import { tenantResource, titleClash } from "./registry-attributes";
import { createHandler, deleteHandler, listHandler, lookupHandler, replaceHandler, type ResourceKind } from "./resource-handlers";

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

/** The checks of a field group body (create and replace); the error, or undefined when it is valid. */
function fieldGroupProblem(s: Scope, body: Record<string, unknown>, existing?: FieldGroupRecord): EmuResponse | undefined {
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
  return titleClash(s, body.title, existing?.$id);
}

const fieldGroups: ResourceKind<FieldGroupRecord, undefined> = {
  noun: "field group",
  type: "mixins",
  path: "fieldgroups",
  idParam: "FIELD_GROUP_ID",
  stored: (xdm) => xdm.fieldGroups,
  find: findTenantFieldGroup,
  listed: (s, container) => (container === "global" ? Object.keys(GLOBAL_FIELD_GROUPS).map(globalFieldGroupView) : Object.values(s.xdm.fieldGroups)),
  lookedUp(s, container, id) {
    if (container === "global") {
      const global = findGlobalFieldGroup(id);
      return global && { resource: globalFieldGroupView(global.$id), fields: global.fields };
    }
    const group = findTenantFieldGroup(s.xdm, id);
    return group && { resource: group, fields: fieldGroupFields(group) };
  },
  check: fieldGroupProblem,
  build: (s, body, _checked, ids) =>
    tenantResource(s, body, "mixins", ids, { "meta:intendedToExtend": body["meta:intendedToExtend"] as string[] }) as FieldGroupRecord,
};

export const listFieldGroups = listHandler(fieldGroups);
export const lookupFieldGroup = lookupHandler(fieldGroups);
export const createFieldGroup = createHandler(fieldGroups);
export const replaceFieldGroup = replaceHandler(fieldGroups);
// Adobe documents no refusal for a field group still in use (help/xdm/api/field-groups.md): the
// schemas that used it simply resolve without its fields.
export const deleteFieldGroup = deleteHandler(fieldGroups);
