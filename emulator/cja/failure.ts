/**
 * Early exits with CJA's error body. Helpers deep in a handler throw `CjaFailure`; `guarded`
 * turns it into the response, so handlers read as the happy path.
 */
import { cjaError } from "../errors";
import type { EmuResponse, Handler } from "../types";

export class CjaFailure extends Error {
  constructor(readonly response: EmuResponse) {
    super(`CJA ${response.status}`);
  }
}

/** Stop the handler with `{errorCode, errorDescription, errorId}` and `status`. */
export function fail(status: number, errorCode: string, errorDescription: string): never {
  throw new CjaFailure(cjaError(status, errorCode, errorDescription));
}

/** Adobe's 404 `resource_not_found`. */
export function notFound(description: string): never {
  return fail(404, "resource_not_found", description);
}

/** Adobe's 400 `invalid_parameters`. */
export function invalidParameters(description: string): never {
  return fail(400, "invalid_parameters", description);
}

/**
 * Stop an admin handler with the core admin API's error body `{error, message}`
 * (`invalid_request` 400, `not_found` 404, `conflict` 409).
 */
export function adminFail(status: 400 | 404 | 409, message: string): never {
  const error = status === 400 ? "invalid_request" : status === 404 ? "not_found" : "conflict";
  throw new CjaFailure({ status, body: { error, message } });
}

/** Wrap a handler so a thrown `CjaFailure` becomes its response. */
export function guarded(handler: Handler): Handler {
  return async (req, ctx) => {
    try {
      return await handler(req, ctx);
    } catch (error) {
      if (error instanceof CjaFailure) return error.response;
      throw error;
    }
  };
}

/** A 200 with a JSON body. */
export function ok(body: unknown): EmuResponse {
  return { status: 200, body };
}
