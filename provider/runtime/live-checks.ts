/**
 * The read-only checks `check` runs against Adobe (in `preview` too), shared by the resources:
 * a data view id that must exist, and the components a data view must hold. Each failure names
 * the input (as its property, not again in the reason) and the id that is wrong.
 */
import { isNotFound } from "../adobe/errors";
import { adobeClient } from "./client";
import { componentKindOf, liveComponents, type ComponentKind, type LiveComponent } from "./component-cache";

export interface CheckFailure<P extends string = string> {
  property: P;
  reason: string;
}

/** The reason for a data view id that answers 404: it is not in the org, or the credential cannot see it. */
export function noDataView(dataViewId: string): string {
  return `no data view ${dataViewId} in IMS org ${adobeClient().orgId} that this credential can see; check the id in the Data View Manager (and adobe:orgId)`;
}

/** The data view's components of one kind; `undefined` when the data view does not exist. */
export async function componentsIfDataView(kind: ComponentKind, dataViewId: string): Promise<LiveComponent[] | undefined> {
  try {
    return (await liveComponents(kind, dataViewId)).all;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Which of the component ids (`variables/…`, `metrics/…`) the data view lacks; other ids are not components of a data view and are left out. */
export async function missingComponents(dataViewId: string, componentIds: readonly string[]): Promise<string[] | undefined> {
  const missing: string[] = [];
  for (const kind of ["dimensions", "metrics"] as const) {
    const wanted = componentIds.filter((id) => componentKindOf(id) === kind);
    if (wanted.length === 0) continue;
    const live = await componentsIfDataView(kind, dataViewId);
    if (live === undefined) return undefined;
    const ids = new Set(live.map((c) => c.id));
    missing.push(...wanted.filter((id) => !ids.has(id)));
  }
  return missing;
}
