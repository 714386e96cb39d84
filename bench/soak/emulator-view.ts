/**
 * What the soak's checks read: the emulator's state dump (`GET /_emulator/state`), the stack's
 * state as the engine left it (the real CLI's checkpoint, `pulumi stack export`, or the
 * in-process engine's state), and the problems a check finds.
 */
import type { AepSandboxState } from "../../emulator/aep/state";
import type { CjaOrgState } from "../../emulator/cja/state";

/** One resource of a stack's state: what the checks read of it. */
export interface SoakResource {
  urn: string;
  type: string;
  id: string;
  outputs: Record<string, unknown>;
  /** A replaced object not yet deleted (the checkpoint's `delete: true`): the next `up` deletes it first. */
  pendingDelete?: boolean;
}

/** A stack's state after a run, engine-neutral. */
export interface SoakState {
  resources: SoakResource[];
  /** Operations the engine started and never saw end (the checkpoint's `pending_operations`). */
  pendingOperations?: string[];
}

/** `GET /_emulator/state`. */
export interface EmulatorDump {
  orgs: { cja: Record<string, CjaOrgState | undefined> };
  sandboxes: { aep: Record<string, Record<string, AepSandboxState | undefined> | undefined> };
}

export function cjaOf(dump: EmulatorDump, orgId: string): CjaOrgState {
  return dump.orgs.cja[orgId] ?? { connections: {}, dataViews: {}, components: {}, calculatedMetrics: {} };
}

export function aepOf(dump: EmulatorDump, orgId: string, sandbox: string): AepSandboxState | undefined {
  return dump.sandboxes.aep[orgId]?.[sandbox];
}

/**
 * - `duplicate`: two objects in Adobe for one declared object;
 * - `lost`: an object that must exist is gone (one the UI made, or one the state says the stack made);
 * - `orphan`: an object in Adobe that no state entry accounts for (the next run may still adopt it);
 * - `dangling`: a state entry whose object Adobe does not have (the next run may still repair it);
 * - `not-as-declared`: after a successful run, Adobe differs from what the program declares.
 */
export type ProblemKind = "duplicate" | "lost" | "orphan" | "dangling" | "not-as-declared" | "unclaimed";

export interface Problem {
  kind: ProblemKind;
  detail: string;
  /** Objects in Adobe the problem is about (an orphan's id), so later checks can set them aside once counted. */
  objectIds?: string[];
}

/** Problems a later run may still repair when the run that left them failed. */
export const REPAIRABLE: ReadonlySet<ProblemKind> = new Set(["orphan", "dangling", "unclaimed"]);

const DYNAMIC = "pulumi-nodejs:dynamic/";

/** The state's resources of one type (`cja:DataView`), split into current ones and ones pending deletion. */
export function tracked(state: SoakState | undefined, type: string): { current: SoakResource[]; pending: SoakResource[]; ids: Set<string> } {
  const all = (state?.resources ?? []).filter((r) => r.type === `${DYNAMIC}${type}`);
  return { current: all.filter((r) => !r.pendingDelete), pending: all.filter((r) => r.pendingDelete), ids: new Set(all.map((r) => r.id)) };
}

/** After a successful run nothing is left pending: no replaced object awaiting its delete, no operation the engine lost track of. */
export function leftPending(state: SoakState | undefined): Problem[] {
  const problems: Problem[] = [];
  const pendingDeletes = (state?.resources ?? []).filter((r) => r.pendingDelete && r.type.startsWith(DYNAMIC));
  if (pendingDeletes.length > 0) problems.push({ kind: "not-as-declared", detail: `the state still holds objects pending deletion: ${pendingDeletes.map((r) => r.id).join(", ")}` });
  if ((state?.pendingOperations ?? []).length > 0) problems.push({ kind: "not-as-declared", detail: `the state holds pending operations: ${state!.pendingOperations!.join(", ")}` });
  return problems;
}

/** Orphans and dangling entries: live objects against the state's ids. */
export function accountFor(what: string, liveIds: string[], stateIds: Set<string>): Problem[] {
  const live = new Set(liveIds);
  return [
    ...liveIds.filter((id) => !stateIds.has(id)).map((id): Problem => ({ kind: "orphan", detail: `${what} ${id} is in Adobe but in no state`, objectIds: [id] })),
    ...[...stateIds].filter((id) => !live.has(id)).map((id): Problem => ({ kind: "dangling", detail: `${what} ${id} is in the state but not in Adobe` })),
  ];
}

/** Names that more than one object carries. */
export function duplicateNames(what: string, objects: Array<{ id: string; name: string }>): Problem[] {
  const byName = new Map<string, string[]>();
  for (const o of objects) byName.set(o.name, [...(byName.get(o.name) ?? []), o.id]);
  return [...byName]
    .filter(([, ids]) => ids.length > 1)
    .map(([name, ids]): Problem => ({ kind: "duplicate", detail: `${ids.length} ${what}s named "${name}": ${ids.join(", ")}`, objectIds: ids }));
}

/** JSON with sorted keys, to compare documents. */
export function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v as Record<string, unknown>)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value));
}
