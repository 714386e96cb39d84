/**
 * What the benchmark measures: each stack through preview (new stack), first up, no-op up and
 * refresh; and how the one-request-per-component baseline follows from the measured requests.
 */
import { AJO_DIMENSIONS, AJO_METRICS } from "../examples/ajo-cja/guide";
import { componentStack, seedComponentTemplate } from "./component-stack";
import type { EmulatorAdmin } from "./emulator-admin";
import { adobeConfig, ajoExample, type EmulatorTarget, type StackUnderTest } from "./example-stacks";
import type { RunOptions } from "./in-process-engine";
import type { RequestCounts } from "./measure";

export interface Scenario {
  id: string;
  title: string;
  /** Dimension and Metric resources the program declares. */
  declared: { dimensions: number; metrics: number };
  /** Plays the Adobe UI on the emulator and returns the stack, with `client` as its Adobe client settings. */
  prepare(target: EmulatorTarget, admin: EmulatorAdmin, client: Record<string, string>): Promise<StackUnderTest>;
}

export const AJO_SCENARIO: Scenario = {
  id: "ajo",
  title: "Journey Optimizer stack (examples/ajo-cja: 1 connection, 1 data view, 13 dimensions, 9 metrics, 2 calculated metrics)",
  declared: { dimensions: AJO_DIMENSIONS.length, metrics: AJO_METRICS.length },
  prepare: async (target, _admin, client) => (await ajoExample(target, client)).stack,
};

/** A data view copied from a template with `count` components, each declared as a Dimension or Metric. */
export function componentScenario(count: number): Scenario {
  const dimensions = Math.ceil(count / 2);
  return {
    id: `dv${count}`,
    title: `Data view with ${count.toLocaleString("en-US")} declared components (${dimensions} dimensions, ${count - dimensions} metrics)`,
    declared: { dimensions, metrics: count - dimensions },
    async prepare(target, admin, client) {
      const setup = await seedComponentTemplate(admin, target.orgId, count);
      return {
        project: "bench-components",
        config: adobeConfig(target, client),
        program: () => componentStack(setup, `Bench ${count} components`),
      };
    },
  };
}

export type OperationId = "preview" | "up" | "noop" | "refresh";

export interface BenchOperation {
  id: OperationId;
  label: string;
  kind: RunOptions["kind"];
  /** Whether the run starts from the previous operation's state (else: a new stack). */
  fromState: boolean;
}

/** In this order: each starts from the state the one before left. */
export const OPERATIONS: readonly BenchOperation[] = [
  { id: "preview", label: "preview (new stack)", kind: "preview", fromState: false },
  { id: "up", label: "first up", kind: "up", fromState: false },
  { id: "noop", label: "no-op up", kind: "up", fromState: true },
  { id: "refresh", label: "refresh", kind: "refresh", fromState: true },
];

/** The per-data-view list requests that serve every Dimension (resp. Metric) of a data view. */
export const COMPONENT_LIST_ROUTES = {
  dimensions: "GET /data/dataviews/:dataviewId/dimensions",
  metrics: "GET /data/dataviews/:dataviewId/metrics",
} as const;

/**
 * The CJA requests the same operation would send if each component read itself
 * (`GET .../dimensions/{id}`, `GET .../metrics/{id}`): each kind's list requests replaced by one
 * request per declared component of that kind; the other requests are the same.
 */
export function oneRequestPerComponent(requests: RequestCounts, declared: Scenario["declared"]): number {
  let total = requests.cja;
  for (const kind of ["dimensions", "metrics"] as const) {
    const lists = requests.byRoute[COMPONENT_LIST_ROUTES[kind]] ?? 0;
    if (lists > 0) total += declared[kind] - lists;
  }
  return total;
}
