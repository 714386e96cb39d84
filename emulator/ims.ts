/**
 * IMS: the OAuth server-to-server token endpoint (`POST /ims/token/v3`) and the registry of the
 * tokens it issued, which the gateway checks.
 */
import { randomBytes } from "crypto";
import { imsError } from "./errors";
import type { EmuRequest, EmulatorContext, EmuResponse, RouteDef } from "./types";

/** Path of Adobe's token endpoint (on ims-na1.adobelogin.com). */
export const IMS_TOKEN_PATH = "/ims/token/v3";

interface IssuedToken {
  clientId: string;
  expiresAt: number;
}

export type TokenCheck = { valid: true; clientId: string } | { valid: false };

/** Tokens issued by this emulator, with the client they were issued to and when they expire. */
export class TokenRegistry {
  private readonly tokens = new Map<string, IssuedToken>();

  /** A new random, opaque token for `clientId`, valid `lifetimeSeconds` from `now`. */
  issue(clientId: string, now: number, lifetimeSeconds: number): string {
    const token = `emu_${randomBytes(32).toString("base64url")}`;
    this.tokens.set(token, { clientId, expiresAt: now + lifetimeSeconds * 1000 });
    return token;
  }

  check(token: string, now: number): TokenCheck {
    const issued = this.tokens.get(token);
    if (!issued || issued.expiresAt <= now) return { valid: false };
    return { valid: true, clientId: issued.clientId };
  }

  /** Expires every token issued so far. */
  expireAll(): number {
    for (const issued of this.tokens.values()) issued.expiresAt = 0;
    return this.tokens.size;
  }
}

/** Form body fields, with query parameters as a fallback (IMS accepts both). */
function tokenParams(req: EmuRequest): Record<string, string> {
  const body = req.body && typeof req.body === "object" && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
  const fromBody = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  return { ...req.query, ...fromBody };
}

function issueToken(req: EmuRequest, ctx: EmulatorContext, tokens: TokenRegistry): EmuResponse {
  const params = tokenParams(req);
  for (const name of ["grant_type", "client_id", "client_secret"]) {
    if (!params[name]) return imsError(400, "invalid_request", `missing ${name} parameter`);
  }
  if (params.grant_type !== "client_credentials") {
    return imsError(400, "unsupported_grant_type", `unsupported grant_type ${params.grant_type}`);
  }
  if (params.client_id !== ctx.options.clientId) return imsError(401, "invalid_client", "invalid client_id parameter");
  if (params.client_secret !== ctx.options.clientSecret) return imsError(401, "invalid_client", "invalid client_secret parameter");
  const lifetime = ctx.options.tokenLifetimeSeconds;
  const accessToken = tokens.issue(params.client_id, ctx.now(), lifetime);
  return { status: 200, body: { access_token: accessToken, token_type: "bearer", expires_in: lifetime } };
}

/** The IMS token route, issuing into `tokens`. */
export function imsRoutes(tokens: TokenRegistry): RouteDef[] {
  return [{ method: "POST", path: IMS_TOKEN_PATH, service: "ims", handler: (req, ctx) => issueToken(req, ctx, tokens) }];
}
