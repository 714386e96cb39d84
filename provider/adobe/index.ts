/**
 * The Adobe client: settings, errors, the composed HTTP client and typed endpoint functions for
 * CJA (cja.adobe.io) and AEP (platform.adobe.io).
 */
export * from "./settings";
export * from "./errors";
export { AdobeClient, type AdobeClientDeps, type AdobeLogger, type AdobeRequestOptions, type AdobeService } from "./http";
export type { FetchLike, HttpMethod } from "./transport";
export { canonicalEnum } from "./schema";
export * from "./cja/connections";
export * from "./cja/dataviews";
export * from "./cja/components";
export * from "./cja/dimensions";
export * from "./cja/metrics";
export * from "./cja/calculated-metrics";
export * from "./aep/export-jobs";
export * from "./aep/audiences";
export * from "./aep/segment-definitions";
export * from "./aep/datasets";
export * from "./aep/queries";
export * from "./aep/batches";
export * as schemaRegistry from "./aep/schema-registry";
