/**
 * The Adobe I/O gateway's header checks in front of CJA and AEP: bearer token, API key, IMS org,
 * the credential's org, and (AEP) sandbox. Answers with the gateway's own error bodies.
 */
import { gateway } from "./errors";
import type { TokenRegistry } from "./ims";
import type { EmuResponse } from "./types";

/** The sandbox AEP uses when a request sends no `x-sandbox-name`. */
export const DEFAULT_SANDBOX = "prod";

export type GatewayResult =
  | { ok: true; clientId: string; org: string; sandbox: string }
  | { ok: false; response: EmuResponse; clientId: string };

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match?.[1];
}

/** Checks the gateway headers of a cja/aep request (header names lower-cased). */
export function authenticate(
  headers: Record<string, string>,
  service: "cja" | "aep",
  tokens: TokenRegistry,
  now: number,
  credentialOrgs: readonly string[] | null,
): GatewayResult {
  const apiKey = headers["x-api-key"] ?? "";
  const fail = (response: EmuResponse): GatewayResult => ({ ok: false, response, clientId: apiKey });
  if (!headers["authorization"]) return fail(gateway.tokenMissing());
  const token = bearerToken(headers["authorization"]);
  const check = token ? tokens.check(token, now) : { valid: false as const };
  if (!check.valid) return fail(gateway.tokenInvalid());
  if (!apiKey) return fail(gateway.apiKeyMissing());
  if (apiKey !== check.clientId) return fail(gateway.apiKeyInvalid());
  const org = headers["x-gw-ims-org-id"];
  if (!org) return { ok: false, response: gateway.orgMissing(), clientId: check.clientId };
  if (credentialOrgs && !credentialOrgs.includes(org)) return { ok: false, response: gateway.orgNotEntitled(), clientId: check.clientId };
  const sandbox = service === "aep" ? headers["x-sandbox-name"] || DEFAULT_SANDBOX : "";
  return { ok: true, clientId: check.clientId, org, sandbox };
}
