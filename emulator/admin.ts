/**
 * The core admin API under `/_emulator` (no auth, JSON): reset, request counters and log, faults,
 * token expiry, rate limit, state dump, validation failures. Service admin routes (playing the
 * person at the Adobe UI) live in the service modules.
 */
import { z } from "zod";
import type { EmulatorCore } from "./core";
import { faultSettingsSchema, type FaultSettings } from "./faults";
import { ADMIN_PREFIX, type EmuResponse, type HttpMethod, type RouteDef } from "./types";

const rateLimitSchema = z.union([
  z.object({ requests: z.number().int().positive(), intervalMs: z.number().int().positive() }).strict(),
  z.null(),
]);

const ok = (body: unknown = { ok: true }): EmuResponse => ({ status: 200, body });

function adminRoute(method: HttpMethod, path: string, handler: RouteDef["handler"], body?: RouteDef["body"]): RouteDef {
  return { method, path: `${ADMIN_PREFIX}${path}`, service: "admin", handler, body };
}

function putFaults(core: EmulatorCore, settings: FaultSettings): EmuResponse {
  const { script, ...options } = settings;
  core.options.faults = options;
  core.faults.configure(options, script);
  return ok(core.faults.settings());
}

function putRateLimit(core: EmulatorCore, limit: z.infer<typeof rateLimitSchema>): EmuResponse {
  core.options.rateLimit = limit;
  core.limiter.configure(limit);
  return ok({ rateLimit: limit });
}

/** The client id of the Adobe UI's calls (Experience Platform's own web client). */
export const UI_CLIENT_ID = "acp_ui_platform";

/** The core's admin routes, acting on `core`. */
export function coreAdminRoutes(core: EmulatorCore): RouteDef[] {
  return [
    adminRoute("GET", "/info", () =>
      ok({ options: core.options, specValidation: core.specs !== null, specDir: core.specs?.dir ?? null, faults: core.faults.settings() }),
    ),
    adminRoute("POST", "/reset", () => {
      core.reset();
      return ok();
    }),
    adminRoute("GET", "/requests", () => ok(core.recorder.snapshot())),
    adminRoute("DELETE", "/requests", () => {
      core.recorder.clear();
      return ok();
    }),
    adminRoute("GET", "/faults", () => ok(core.faults.settings())),
    adminRoute("PUT", "/faults", (req) => putFaults(core, faultSettingsSchema.parse(req.body)), faultSettingsSchema),
    adminRoute("POST", "/tokens/expire", () => ok({ expired: core.tokens.expireAll() })),
    // A token for the Adobe UI's own client, so set-ups that play the UI make its calls through the public API.
    adminRoute("POST", "/tokens/ui", () => ok({ clientId: UI_CLIENT_ID, accessToken: core.tokens.issue(UI_CLIENT_ID, core.context.now(), core.options.tokenLifetimeSeconds) })),
    adminRoute("GET", "/rate-limit", () => ok({ rateLimit: core.limiter.current })),
    adminRoute("PUT", "/rate-limit", (req) => putRateLimit(core, rateLimitSchema.parse(req.body)), rateLimitSchema),
    adminRoute("GET", "/state", () => ok(JSON.parse(JSON.stringify(core.state.dump())))),
    adminRoute("GET", "/validation-failures", () => ok(core.validationFailures)),
    adminRoute("DELETE", "/validation-failures", () => {
      core.validationFailures.length = 0;
      return ok();
    }),
  ];
}
