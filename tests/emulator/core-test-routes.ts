/**
 * Test-only routes bound to real operations of Adobe's specs that the project never serves
 * (CJA Workspace projects, the segmentation estimate), so the core's checks are proven independently of
 * the CJA and AEP service modules.
 */
import { z } from "zod";
import { cjaError, segmentationError } from "../../emulator/errors";
import type { RouteDef } from "../../emulator/types";

interface DateRange {
  id: string;
  name: string;
  definition?: Record<string, unknown>;
}

type DateRangeSlice = { dateRanges: Record<string, DateRange> };

const newSlice = (): DateRangeSlice => ({ dateRanges: {} });

/** `POST /projects` (stores per org) and `GET /projects/{id}`, valid against cja.json. */
export const dateRangeRoutes: RouteDef[] = [
  {
    method: "POST",
    path: "/projects",
    service: "cja",
    spec: "cja",
    body: z.object({ name: z.string().min(1, "must not be empty") }).passthrough(),
    handler: (req, ctx) => {
      const input = req.body as { name: string; definition?: Record<string, unknown> };
      const slice = ctx.state.org("cja", req.org, newSlice);
      const range: DateRange = { id: ctx.newId(), name: input.name, ...(input.definition ? { definition: input.definition } : {}) };
      slice.dateRanges[range.id] = range;
      ctx.state.touch();
      return { status: 200, body: range };
    },
  },
  {
    method: "GET",
    path: "/projects/:id",
    service: "cja",
    spec: "cja",
    handler: (req, ctx) => {
      const range = ctx.state.org("cja", req.org, newSlice).dateRanges[req.params.id];
      return range ? { status: 200, body: range } : cjaError(404, "resource_not_found", `Date range ${req.params.id} not found`);
    },
  },
];

/** `GET /projects/{id}` answering a body that breaks cja.json's AnalyticsProject (name: number, modified: not a date-time). */
export const brokenDateRangeRoute: RouteDef = {
  method: "GET",
  path: "/projects/:id",
  service: "cja",
  spec: "cja",
  handler: (req) => ({ status: 200, body: { id: req.params.id, name: 5, modified: "yesterday" } }),
};

/** `GET /data/core/ups/estimate/{ESTIMATE_ID}`: counts reads per org and sandbox, answering them as `estimatedSize`. */
export const estimateRoute: RouteDef = {
  method: "GET",
  path: "/data/core/ups/estimate/:ESTIMATE_ID",
  service: "aep",
  spec: "aep-segmentation",
  handler: (req, ctx) => {
    if (req.params.ESTIMATE_ID === "missing") return segmentationError(404, "UPAPI-113430-404", "The estimate job was not found.");
    const slice = ctx.state.sandbox("aep", req.org, req.sandbox, () => ({ reads: 0 }));
    slice.reads += 1;
    ctx.state.touch();
    return { status: 200, body: { state: "RESULT_READY", estimatedSize: slice.reads } };
  },
};

/** A route claiming an operation cja.json does not have. */
export const routeOutsideSpec: RouteDef = {
  method: "DELETE",
  path: "/data/connections/:connectionId",
  service: "cja",
  spec: "cja",
  handler: () => ({ status: 200, body: {} }),
};
