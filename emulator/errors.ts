/**
 * Adobe's error bodies, one builder per layer that produces them. Handlers return these; they
 * never invent a shape of their own.
 */
import { randomUUID } from "crypto";
import type { EmuResponse, SpecName } from "./types";

/** The Adobe I/O gateway (in front of CJA and AEP): `{error_code, message}`. */
export function gatewayError(status: number, errorCode: string, message: string, headers?: Record<string, string>): EmuResponse {
  return { status, body: { error_code: errorCode, message }, headers };
}

export const gateway = {
  tooManyRequests: (retryAfterSeconds?: number) =>
    gatewayError(429, "429050", "Too many requests", retryAfterSeconds === undefined ? undefined : { "retry-after": String(retryAfterSeconds) }),
  tokenMissing: () => gatewayError(403, "403010", "Oauth token is missing."),
  tokenInvalid: () => gatewayError(401, "401013", "Oauth token is not valid"),
  apiKeyMissing: () => gatewayError(403, "403000", "Api Key is required"),
  apiKeyInvalid: () => gatewayError(403, "403003", "Api Key is invalid"),
  orgMissing: () => gatewayError(400, "400003", "Missing header"),
  orgNotEntitled: () => gatewayError(403, "403025", "Profile is not valid"),
};

/** IMS (`/ims/token/v3`): OAuth-style `{error, error_description}`. */
export function imsError(status: number, error: string, description: string): EmuResponse {
  return { status, body: { error, error_description: description } };
}

/** CJA service errors: `{errorCode, errorDescription, errorId}` (schema `ErrorStatus` in cja.json). */
export function cjaError(status: number, errorCode: string, errorDescription: string): EmuResponse {
  return { status, body: { errorCode, errorDescription, errorId: randomUUID() } };
}

/** Segmentation / UPS errors: `{requestId, errors:{<status>:[{code,message}]}, type, title, status}`. */
export function segmentationError(status: number, code: string, message: string): EmuResponse {
  return {
    status,
    body: {
      requestId: randomUUID().replace(/-/g, ""),
      errors: { [String(status)]: [{ code: status, message }] },
      type: `https://ns.adobe.com/aep/errors/${code}`,
      title: message,
      status,
    },
  };
}

/** Catalog and Query Service errors: `{type, status, title, detail}`. */
export function platformError(status: number, title: string, detail: string): EmuResponse {
  return { status, body: { type: "/placeholder/type/uri", status, title, detail } };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `10-22-2020 06:42:13`, the registry's report timestamp (UTC). */
function reportTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Schema Registry errors: `{type, title, status, report, detail}` (schema-registry.yaml `errorBasic`). */
export function schemaRegistryError(status: number, code: string, title: string, detail: string, now: number = Date.now()): EmuResponse {
  return {
    status,
    body: {
      type: `http://ns.adobe.com/aep/errors/${code}`,
      title,
      status,
      report: { registryRequestId: randomUUID(), timestamp: reportTimestamp(now), "detailed-message": detail, "sub-errors": [] },
      detail,
    },
  };
}

/** The Schema Registry's code for a request it cannot take where Adobe documents no specific one. */
export const XDM_INVALID_REQUEST = "XDM-1000-400";

/** The 400 a request gets when it breaks the spec or the project's schema, in the service's own shape. */
export function badRequest(spec: SpecName | undefined, message: string): EmuResponse {
  switch (spec) {
    case "aep-segmentation":
      return segmentationError(400, "UPAPI-113434-400", message);
    case "aep-catalog":
    case "aep-query-service":
      return platformError(400, "BadRequestError", message);
    case "aep-schema-registry":
      return schemaRegistryError(400, XDM_INVALID_REQUEST, "Invalid request", message);
    default:
      return cjaError(400, "invalid_parameters", message);
  }
}
