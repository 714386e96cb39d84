/**
 * Segmentation segment definitions: lookup by id (`/data/core/ups/segment/definitions/{id}`).
 *
 * The list operation is left out on purpose: Adobe's spec declares its 200 body as one
 * `SegmentDefinition` (name, expression and schema required) while the guide documents
 * `{segments, page, link}`, so no real list body can pass the spec; the audience flow does not
 * need it.
 */
import { segmentationError } from "../errors";
import type { RouteDef } from "../types";
import { sandboxState } from "./state";

const BASE = "/data/core/ups";

/** Segment definition routes. */
export const segmentDefinitionRoutes: RouteDef[] = [
  {
    method: "GET",
    path: `${BASE}/segment/definitions/:SEGMENT_ID`,
    service: "aep",
    spec: "aep-segmentation",
    handler: (req, ctx) => {
      const definition = sandboxState(req, ctx).segmentDefinitions[req.params.SEGMENT_ID];
      if (!definition) {
        return segmentationError(
          404,
          "UPAPI-113430-404",
          `The segment definition entity ${req.params.SEGMENT_ID} is not found. Use a valid entity and try again.`,
        );
      }
      return { status: 200, body: definition };
    },
  },
];
