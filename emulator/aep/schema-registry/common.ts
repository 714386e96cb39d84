/**
 * What every Schema Registry handler starts from: the base path, the registry's error answers
 * (`XDM-…` codes), the org/sandbox scope of a request, path ids and the JSON body.
 * Checks whose error code Adobe does not document answer the same error shape with the emulator's
 * placeholder code XDM-1000-400 (see docs/EMULATOR.md).
 */
import { schemaRegistryError as registryError, XDM_INVALID_REQUEST } from "../../errors";
import type { EmuRequest, EmuResponse, EmulatorContext } from "../../types";
import { sandboxState, type AepSandboxState } from "../state";
import { tenantIdOf, xdmState, type XdmSandboxState } from "../xdm";

export const BASE = "/data/foundation/schemaregistry";
/** The emulator's code for checks whose code Adobe does not document. */
const UNDOCUMENTED_400 = XDM_INVALID_REQUEST;

// ---------------------------------------------------------------------------------------------
// Errors

/** A Schema Registry error at the emulator's clock. */
export function schemaRegistryError(ctx: EmulatorContext, status: number, code: string, title: string, detail: string): EmuResponse {
  return registryError(status, code, title, detail, ctx.now());
}

export const invalid = (ctx: EmulatorContext, detail: string) => schemaRegistryError(ctx, 400, UNDOCUMENTED_400, "Invalid request", detail);

export type ResourceNoun = "schema" | "field group" | "descriptor";

export function notFound(ctx: EmulatorContext, kind: ResourceNoun, id: string): EmuResponse {
  // help/xdm/faq.md lists XDM-1010..1017-404 by resource type without the mapping; the spec's
  // `notFoundError` example (a schema) is XDM-1012-404.
  const code = kind === "schema" ? "XDM-1012-404" : "XDM-1010-404";
  const detail = kind === "descriptor" ? `The requested descriptor ${id} is not found.` : `Requested resource ${id} with version 1 is not found`;
  return schemaRegistryError(ctx, 404, code, kind === "schema" ? "Resource Not Found" : "Resource not found", detail);
}

export function isResponse(value: unknown): value is EmuResponse {
  return !!value && typeof value === "object" && "status" in value && typeof (value as EmuResponse).status === "number";
}

// ---------------------------------------------------------------------------------------------
// The request: scope, container, ids, body

export interface Scope {
  req: EmuRequest;
  ctx: EmulatorContext;
  state: AepSandboxState;
  xdm: XdmSandboxState;
  tenant: string;
}

export function scope(req: EmuRequest, ctx: EmulatorContext): Scope {
  const state = sandboxState(req, ctx);
  return { req, ctx, state, xdm: xdmState(state), tenant: tenantIdOf(req.org) };
}

/**
 * A `GET /:CONTAINER_ID/...`: its scope and the `Accept` form it asks for; else the 400 for a
 * container other than `global` and `tenant`, or the `Accept` error (checked in that order).
 */
export function containerRequest<F>(
  req: EmuRequest,
  ctx: EmulatorContext,
  acceptForm: (req: EmuRequest, ctx: EmulatorContext) => F | EmuResponse,
): { s: Scope; container: string; form: F } | EmuResponse {
  const s = scope(req, ctx);
  const container = req.params.CONTAINER_ID;
  if (container !== "tenant" && container !== "global") return invalid(ctx, `path.CONTAINER_ID must be "global" or "tenant" (got "${container}").`);
  const form = acceptForm(req, ctx);
  return isResponse(form) ? form : { s, container, form };
}

/** A path id: the `meta:altId` or the URL-encoded `$id`. */
export function decodeId(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

export function objectBody(s: Scope): Record<string, unknown> | EmuResponse {
  const body = s.req.body;
  if (!body || typeof body !== "object" || Array.isArray(body)) return invalid(s.ctx, "The request body must be a JSON object.");
  return body as Record<string, unknown>;
}
