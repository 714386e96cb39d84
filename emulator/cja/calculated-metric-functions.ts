/**
 * `GET /calculatedmetrics/functions` and `GET /calculatedmetrics/functions/{id}`: Adobe's
 * function catalog, from the same facts the formula language uses
 * (provider/adobe/cja/calculated-metric-functions.ts), in the item shape of Adobe's documented
 * example (`{id, category, persistable, name, description, definition: {func: "calc-metric",
 * parameters: [{func: "parameter-def", name, type, ...}], version}}`).
 */
import { CALCULATED_METRIC_FUNCTIONS, type CalculatedMetricFunction } from "../../provider/adobe/cja/calculated-metric-functions";
import type { EmuRequest, RouteDef } from "../types";
import { guarded, notFound, ok } from "./failure";

function catalogItem(fn: CalculatedMetricFunction): Record<string, unknown> {
  return {
    id: fn.id,
    category: fn.category,
    persistable: true,
    name: fn.name,
    description: fn.description,
    definition: {
      func: "calc-metric",
      parameters: fn.parameters.map((p) => ({ func: "parameter-def", name: p.key, type: p.type, ...(p.optional ? { "default-value": {} } : {}) })),
      version: [1, 0, 0],
    },
  };
}

const route = (path: string, handler: RouteDef["handler"]): RouteDef => ({ method: "GET", path, service: "cja", spec: "cja", handler: guarded(handler) });

export const calculatedMetricFunctionRoutes: RouteDef[] = [
  route("/calculatedmetrics/functions", () => ok([...CALCULATED_METRIC_FUNCTIONS.values()].map(catalogItem))),
  route("/calculatedmetrics/functions/:id", (req: EmuRequest) => {
    const fn = CALCULATED_METRIC_FUNCTIONS.get(req.params.id);
    if (!fn) notFound("Calculated metric function not found");
    return ok(catalogItem(fn));
  }),
];
