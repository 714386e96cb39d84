/**
 * Route assembly: the core's admin and IMS routes plus the CJA and AEP service routes, each bound
 * to its spec operation, in one find-my-way router.
 */
import FindMyWay from "find-my-way";
import { coreAdminRoutes } from "./admin";
import { aepRoutes } from "./aep";
import { cjaRoutes } from "./cja";
import type { EmulatorCore } from "./core";
import { imsRoutes } from "./ims";
import type { SpecCatalog, SpecOperation } from "./spec-validator";
import { ADMIN_PREFIX, type HttpMethod, type RouteDef } from "./types";

/** A route with the spec operation it is checked against (none without specs or without `spec`). */
export interface BoundRoute {
  def: RouteDef;
  operation?: SpecOperation;
}

export type RouteMatch =
  | { kind: "found"; route: BoundRoute; params: Record<string, string> }
  /** The path exists, not for this method. */
  | { kind: "method-not-allowed"; allowed: HttpMethod[] }
  | { kind: "not-found" };

export interface RouteTable {
  readonly routes: BoundRoute[];
  match(method: string, path: string): RouteMatch;
}

const METHODS: HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every route the emulator serves: core admin, IMS, CJA, AEP, then `extra`. */
export function assembleRoutes(core: EmulatorCore, extra: RouteDef[] = []): RouteDef[] {
  return [...coreAdminRoutes(core), ...imsRoutes(core.tokens), ...cjaRoutes, ...aepRoutes, ...extra];
}

function checkPlacement(def: RouteDef): void {
  const where = `${def.method} ${def.path}`;
  const underAdmin = def.path.startsWith(`${ADMIN_PREFIX}/`);
  if ((def.service === "admin") !== underAdmin) {
    throw new Error(`Route ${where}: service "${def.service}" routes ${def.service === "admin" ? "must" : "must not"} live under ${ADMIN_PREFIX}/.`);
  }
  if (def.spec && def.service !== "cja" && def.service !== "aep") {
    throw new Error(`Route ${where}: only cja/aep routes can be bound to a spec (got service "${def.service}").`);
  }
}

/** Checks each route's placement and binds it to its spec operation; throws on the first route outside the contract. */
export function bindRoutes(routes: RouteDef[], specs: SpecCatalog | null): BoundRoute[] {
  return routes.map((def) => {
    checkPlacement(def);
    const operation = def.spec && specs ? specs.operationFor(def.spec, def.method, def.path) : undefined;
    return { def, operation };
  });
}

/** A router over `routes`; a route declared twice (same method and path) throws. */
export function buildRouteTable(routes: BoundRoute[]): RouteTable {
  const router = FindMyWay();
  for (const route of routes) {
    try {
      router.on(route.def.method, route.def.path, () => undefined, route);
    } catch (err) {
      throw new Error(`Route ${route.def.method} ${route.def.path} cannot be registered: ${(err as Error).message}`);
    }
  }
  return {
    routes,
    match(method, path) {
      const found = METHODS.includes(method as HttpMethod) ? router.find(method as HttpMethod, path) : null;
      if (found) {
        const params = Object.fromEntries(Object.entries(found.params).map(([k, v]) => [k, v ?? ""]));
        return { kind: "found", route: found.store as BoundRoute, params };
      }
      const allowed = METHODS.filter((m) => router.find(m, path) !== null);
      return allowed.length > 0 ? { kind: "method-not-allowed", allowed } : { kind: "not-found" };
    },
  };
}
