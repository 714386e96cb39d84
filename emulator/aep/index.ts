/**
 * The AEP part of the emulator: Segmentation (export jobs, audiences, segment definitions),
 * Catalog datasets, Query Service queries and the Schema Registry at their full platform paths,
 * plus the AEP admin routes.
 */
import type { RouteDef } from "../types";
import { aepAdminRoutes } from "./admin";
import { audienceRoutes } from "./audiences";
import { catalogRoutes } from "./catalog";
import { batchRoutes } from "./catalog-batches";
import { exportJobRoutes } from "./export-jobs";
import { queryServiceRoutes } from "./query-service";
import { schemaRegistryRoutes } from "./schema-registry";
import { segmentDefinitionRoutes } from "./segment-definitions";

/** Every AEP route the emulator serves. */
export const aepRoutes: RouteDef[] = [
  ...exportJobRoutes,
  ...audienceRoutes,
  ...segmentDefinitionRoutes,
  ...catalogRoutes,
  ...batchRoutes,
  ...queryServiceRoutes,
  ...schemaRegistryRoutes,
  ...aepAdminRoutes,
];
