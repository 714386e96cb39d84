/**
 * AEP Schema Registry (platform.adobe.io/data/foundation/schemaregistry): the org's tenant id,
 * and the tenant's field groups, schemas and descriptors. Lookups need `version=1` in `Accept`;
 * lists answer `{results, _page}` and page with `start` (the last `orderby` value of the page).
 */
import { z } from "zod";
import { isNotFound } from "../errors";
import type { AdobeClient } from "../http";
import { opt } from "../schema";

/** Each kind's paths, written out so the contract test finds every one in Adobe's spec. */
const PATHS = {
  fieldgroups: {
    list: "/data/foundation/schemaregistry/{CONTAINER_ID}/fieldgroups",
    lookup: "/data/foundation/schemaregistry/{CONTAINER_ID}/fieldgroups/{RESOURCE_ID}",
    create: "/data/foundation/schemaregistry/tenant/fieldgroups",
    one: "/data/foundation/schemaregistry/tenant/fieldgroups/{RESOURCE_ID}",
  },
  schemas: {
    list: "/data/foundation/schemaregistry/{CONTAINER_ID}/schemas",
    lookup: "/data/foundation/schemaregistry/{CONTAINER_ID}/schemas/{RESOURCE_ID}",
    create: "/data/foundation/schemaregistry/tenant/schemas",
    one: "/data/foundation/schemaregistry/tenant/schemas/{RESOURCE_ID}",
  },
} as const;
/** A list answering each resource whole ("full JSON for each resource, with the original `$ref` and `allOf`"), as a lookup does. */
const ACCEPT_LIST = "application/vnd.adobe.xed+json";
const ACCEPT_LOOKUP = "application/vnd.adobe.xed+json; version=1";
const ACCEPT_DESCRIPTORS = "application/vnd.adobe.xdm+json";

/** A field group or schema as the registry answers it (unknown fields kept). */
export const xdmResourceSchema = z.looseObject({
  $id: z.string(),
  "meta:altId": opt(z.string()),
  title: opt(z.string()),
  description: opt(z.string()),
  version: opt(z.string()),
  "meta:class": opt(z.string()),
  "meta:extends": opt(z.array(z.string())),
  "meta:immutableTags": opt(z.array(z.string())),
  "meta:intendedToExtend": opt(z.array(z.string())),
  allOf: opt(z.array(z.looseObject({ $ref: opt(z.string()) }))),
  definitions: opt(z.record(z.string(), z.unknown())),
});
export type XdmResource = z.infer<typeof xdmResourceSchema>;

const listSchema = z.looseObject({ results: z.array(xdmResourceSchema), _page: opt(z.looseObject({ next: opt(z.string().nullable()) })) });

export const descriptorSchema = z.looseObject({
  "@id": z.string(),
  "@type": z.string(),
  "xdm:sourceSchema": opt(z.string()),
  "xdm:sourceProperty": opt(z.string()),
  "xdm:namespace": opt(z.string()),
  "xdm:isPrimary": opt(z.boolean()),
});
export type Descriptor = z.infer<typeof descriptorSchema>;

export type XdmKind = "fieldgroups" | "schemas";

/** The org's tenant id (`GET /stats`): custom fields live under `_<tenantId>`. */
export async function getTenantId(client: AdobeClient, opts: { sandbox?: string } = {}): Promise<string> {
  const stats = await client.request({
    service: "aep",
    method: "GET",
    path: "/data/foundation/schemaregistry/stats",
    headers: { Accept: "application/json" },
    schema: z.looseObject({ tenantId: z.string().min(1) }),
    sandbox: opts.sandbox,
  });
  return stats.tenantId;
}

/** The tenant's field groups or schemas with exactly this title, whole (one request, no lookup each), all pages. */
export async function findByTitle(client: AdobeClient, kind: XdmKind, title: string, opts: { sandbox?: string } = {}): Promise<XdmResource[]> {
  const found: XdmResource[] = [];
  let start: string | undefined;
  for (;;) {
    const page = await client.request({
      service: "aep",
      method: "GET",
      path: PATHS[kind].list,
      pathParams: { CONTAINER_ID: "tenant" },
      query: { property: `title==${title}`, orderby: "title", limit: 300, start },
      headers: { Accept: ACCEPT_LIST },
      schema: listSchema,
      sandbox: opts.sandbox,
    });
    found.push(...page.results.filter((r) => r.title === title));
    const next = page._page?.next;
    if (!next || next === start || page.results.length === 0) return found;
    start = next;
  }
}

/** One field group or schema by `$id` or `meta:altId`. @throws AdobeApiError 404 when it does not exist */
export async function getResource(client: AdobeClient, kind: XdmKind, id: string, opts: { sandbox?: string } = {}): Promise<XdmResource> {
  return client.request({
    service: "aep",
    method: "GET",
    path: PATHS[kind].lookup,
    pathParams: { CONTAINER_ID: "tenant", RESOURCE_ID: id },
    headers: { Accept: ACCEPT_LOOKUP },
    schema: xdmResourceSchema,
    sandbox: opts.sandbox,
  });
}

/** Creates a field group or schema (201, the full resource). Repeated after an ambiguous failure only when `recover` found nothing. */
export async function createResource(
  client: AdobeClient,
  kind: XdmKind,
  body: Record<string, unknown>,
  opts: { recover?: () => Promise<XdmResource | undefined>; sandbox?: string } = {},
): Promise<XdmResource> {
  return client.request({
    service: "aep",
    method: "POST",
    path: PATHS[kind].create,
    body,
    schema: xdmResourceSchema,
    recover: opts.recover,
    sandbox: opts.sandbox,
  });
}

/** Replaces a field group or schema (`PUT`, full body). */
export async function replaceResource(client: AdobeClient, kind: XdmKind, id: string, body: Record<string, unknown>, opts: { sandbox?: string } = {}): Promise<XdmResource> {
  return client.request({
    service: "aep",
    method: "PUT",
    path: PATHS[kind].one,
    pathParams: { RESOURCE_ID: id },
    body,
    schema: xdmResourceSchema,
    sandbox: opts.sandbox,
  });
}

/** Applies a JSON Patch to a schema, e.g. `[{op: "add", path: "/meta:immutableTags", value: ["union"]}]`. */
export async function patchSchema(client: AdobeClient, id: string, patch: Array<{ op: string; path: string; value?: unknown }>, opts: { sandbox?: string } = {}): Promise<XdmResource> {
  return client.request({
    service: "aep",
    method: "PATCH",
    path: "/data/foundation/schemaregistry/tenant/schemas/{SCHEMA_ID}",
    pathParams: { SCHEMA_ID: id },
    body: patch,
    idempotent: true,
    schema: xdmResourceSchema,
    sandbox: opts.sandbox,
  });
}

/** Deletes a field group or schema; one already gone (404) counts as deleted. */
export async function deleteResource(client: AdobeClient, kind: XdmKind, id: string, opts: { sandbox?: string } = {}): Promise<void> {
  try {
    await client.request({
      service: "aep",
      method: "DELETE",
      path: PATHS[kind].one,
      pathParams: { RESOURCE_ID: id },
      sandbox: opts.sandbox,
    });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** The tenant's descriptors whose source schema is `schemaId` (`$id`). */
export async function listDescriptors(client: AdobeClient, schemaId: string, opts: { sandbox?: string } = {}): Promise<Descriptor[]> {
  const grouped = await client.request({
    service: "aep",
    method: "GET",
    path: "/data/foundation/schemaregistry/{CONTAINER_ID}/descriptors",
    pathParams: { CONTAINER_ID: "tenant" },
    query: { property: `xdm:sourceSchema==${schemaId}` },
    headers: { Accept: ACCEPT_DESCRIPTORS },
    schema: z.record(z.string(), z.array(descriptorSchema)),
    sandbox: opts.sandbox,
  });
  return Object.values(grouped).flat().filter((d) => d["xdm:sourceSchema"] === schemaId);
}

/** Creates a descriptor (201). */
export async function createDescriptor(
  client: AdobeClient,
  body: Record<string, unknown>,
  opts: { recover?: () => Promise<Descriptor | undefined>; sandbox?: string } = {},
): Promise<Descriptor> {
  return client.request({
    service: "aep",
    method: "POST",
    path: "/data/foundation/schemaregistry/tenant/descriptors",
    body,
    schema: descriptorSchema,
    recover: opts.recover,
    sandbox: opts.sandbox,
  });
}
