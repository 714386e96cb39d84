/** Component ids: `variables/<id>` for dimensions, `metrics/<id>` for metrics. */
import type { ComponentKind } from "./state";

export const COMPONENT_PREFIX: Record<ComponentKind, string> = { dimensions: "variables/", metrics: "metrics/" };

/** The full id of a component given with or without its prefix (`visits` → `metrics/visits`). */
export function fullComponentId(kind: ComponentKind, id: string): string {
  const prefix = COMPONENT_PREFIX[kind];
  return id.startsWith(prefix) ? id : `${prefix}${id}`;
}

/** Singular noun for messages. */
export function componentNoun(kind: ComponentKind): string {
  return kind === "dimensions" ? "dimension" : "metric";
}
