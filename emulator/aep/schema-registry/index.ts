/**
 * Schema Registry (`/data/foundation/schemaregistry`): tenant id and usage (`/stats`), tenant field
 * groups, schemas (with JSON Patch and Profile enablement) and descriptors, per org and sandbox,
 * with the registry's `Accept` rules, paging and filters. The XDM model is in ../xdm.ts.
 *
 * The files, each with the rules it enforces and where Adobe states them:
 * - common.ts: the base path, errors, the request's scope, path ids and body;
 * - accept.ts: the `Accept` rules and the lookup forms;
 * - listing.ts: `property` filters, `orderby`/`start`/`limit` paging and the list body;
 * - registry-attributes.ts: the attributes the registry assigns, unique titles;
 * - resource-handlers.ts: list, lookup, create, replace and delete, shared by field groups and schemas;
 * - field-groups.ts, schemas.ts, schema-patch.ts, union.ts, descriptors.ts, stats.ts: each resource.
 */
import type { RouteDef } from "../../types";
import { BASE } from "./common";
import { createDescriptor, deleteDescriptor, listDescriptors, lookupDescriptor } from "./descriptors";
import { createFieldGroup, deleteFieldGroup, listFieldGroups, lookupFieldGroup, replaceFieldGroup } from "./field-groups";
import { patchSchema } from "./schema-patch";
import { createSchema, deleteSchema, listSchemas, lookupSchema, replaceSchema } from "./schemas";
import { stats } from "./stats";

export { schemaRegistryError } from "./common";

const SPEC = "aep-schema-registry" as const;

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
