/**
 * Descriptors (`/:CONTAINER_ID/descriptors`), in the tenant container only: created, listed
 * (grouped by `@type`, or a `-v2` results page), looked up and deleted. Identity descriptors:
 * `xdm:sourceProperty` a "/"-path to a field of the schema, one primary identity per schema, at most
 * 4000 descriptors per sandbox: AdobeDocs/experience-platform.en `help/xdm/api/descriptors.md`.
 */
import type { EmuRequest, EmuResponse, EmulatorContext } from "../../types";
import { clientOf, sandboxDescriptor } from "../state";
import { fieldAt, findSchema, resolveSchemaFields, type DescriptorRecord, type XdmSandboxState } from "../xdm";
import { descriptorListAccept, descriptorLookupAccept } from "./accept";
import { containerRequest, invalid, isResponse, notFound, objectBody, scope } from "./common";
import { filterByProperty, pageInfo, paginate } from "./listing";

const MAX_DESCRIPTORS = 4000;

export function hasPrimaryIdentity(xdm: XdmSandboxState, schemaId: string): boolean {
  return Object.values(xdm.descriptors).some((d) => d["@type"] === "xdm:descriptorIdentity" && d["xdm:sourceSchema"] === schemaId && d["xdm:isPrimary"] === true);
}

export function createDescriptor(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
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

export function listDescriptors(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const get = containerRequest(req, ctx, descriptorListAccept);
  if (isResponse(get)) return get;
  const { v2, form } = get.form;
  // Descriptors live in the tenant container only (schema-registry.yaml, listDescriptors).
  const all: DescriptorRecord[] = get.container === "tenant" ? Object.values(get.s.xdm.descriptors) : [];
  const descriptors = filterByProperty(all, req.query.property);
  const render = (d: DescriptorRecord): unknown => (form === "-id" ? d["@id"] : form === "-link" ? `/tenant/descriptors/${d["@id"]}` : d);
  if (v2) {
    const page = paginate({ ...req, query: { orderby: "@id", ...req.query } }, ctx, descriptors);
    if (isResponse(page)) return page;
    return { status: 200, body: { results: page.results.map((d) => render(d as DescriptorRecord)), _page: pageInfo(page), _links: { next: null } } };
  }
  // help/xdm/api/descriptors.md: one array per @type that has descriptors, none for the others.
  const grouped: Record<string, unknown[]> = {};
  for (const d of descriptors) (grouped[d["@type"]] ??= []).push(render(d));
  return { status: 200, body: grouped };
}

export function lookupDescriptor(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const get = containerRequest(req, ctx, descriptorLookupAccept);
  if (isResponse(get)) return get;
  const id = req.params.DESCRIPTOR_ID;
  const descriptor = get.container === "tenant" ? get.s.xdm.descriptors[id] : undefined;
  return descriptor ? { status: 200, body: descriptor } : notFound(ctx, "descriptor", id);
}

export function deleteDescriptor(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const s = scope(req, ctx);
  const id = req.params.DESCRIPTOR_ID;
  if (!s.xdm.descriptors[id]) return notFound(ctx, "descriptor", id);
  delete s.xdm.descriptors[id];
  ctx.state.touch();
  return { status: 204 };
}
