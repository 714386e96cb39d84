/**
 * What the benchmark measures: each stack through preview (new stack), first up, no-op up,
 * refresh and preview of the unchanged stack with the real Pulumi CLI; the empty program that measures what the CLI itself costs per
 * operation; and how the one-request-per-component baseline follows from the measured requests.
 */
import { prepareStack } from "../cli/example-stacks";
import type { ProgramSource } from "../cli/workspace";
import { AJO_DIMENSIONS, AJO_METRICS } from "../examples/ajo-cja/guide";
import { AUDIENCE_DIMENSIONS } from "../examples/audiences-cja/guide";
import { componentProgram, generatedProgram, seedComponentTemplate } from "./component-stack";
import { filtersProgram } from "./filters-stack";
import { VIEW_COMPONENTS, viewsProgram } from "./views-stack";
import type { EmulatorAdmin } from "./emulator-admin";
import type { EmulatorTarget } from "./example-stacks";
import type { RequestCounts } from "./measure";

/** A program ready for a new stack: what to copy into the workspace, and its stack config besides `adobe:*`. */
export interface PreparedProgram {
  program: ProgramSource;
  config: Record<string, string>;
}

export interface Scenario {
  id: string;
  title: string;
  /** Dimension and Metric resources the program declares. */
  declared: { dimensions: number; metrics: number };
  /** Plays the Adobe UI on the (freshly reset) emulator and returns the program and its config. */
  prepare(target: EmulatorTarget, admin: EmulatorAdmin): Promise<PreparedProgram>;
}

/** examples/audiences-cja, on the emulator as its UI set-up leaves it. */
export const AUDIENCES_SCENARIO: Scenario = {
  id: "audiences",
  title: "AEP audiences stack (examples/audiences-cja: 2 datasets, an export job, a field group, a schema, the membership transform, a connection, a data view and its dimensions)",
  declared: { dimensions: AUDIENCE_DIMENSIONS.length, metrics: 0 },
  prepare: async (target) => {
    const { program, config } = await prepareStack("audiences-cja", target.url, target.orgId);
    return { program, config };
  },
};

/** `count` copies of a 20-component template, each with its components and one calculated metric. */
export function viewsScenario(count: number): Scenario {
  return {
    id: `views${count}`,
    title: `${count} data view${count === 1 ? "" : "s"} copied from one template, each with its ${VIEW_COMPONENTS} components declared and 1 calculated metric`,
    declared: { dimensions: (count * VIEW_COMPONENTS) / 2, metrics: (count * VIEW_COMPONENTS) / 2 },
    prepare: async (target, admin) => ({ program: await viewsProgram(admin, target.orgId, count), config: {} }),
  };
}

/** One copy of a 20-component template with `count` filters on it. */
export function filtersScenario(count: number): Scenario {
  return {
    id: `filters${count}`,
    title: `${count} filters on one data view copied from a template of 20 components`,
    declared: { dimensions: 0, metrics: 0 },
    prepare: async (target, admin) => ({ program: await filtersProgram(admin, target.orgId, count), config: {} }),
  };
}

export const AJO_SCENARIO: Scenario = {
  id: "ajo",
  title: "Journey Optimizer stack (examples/ajo-cja: 1 connection, 1 data view, 13 dimensions, 9 metrics, 3 calculated metrics, 1 filter)",
  declared: { dimensions: AJO_DIMENSIONS.length, metrics: AJO_METRICS.length },
  prepare: async (target) => {
    const { program, config } = await prepareStack("ajo-cja", target.url, target.orgId);
    return { program, config };
  },
};

/** A data view copied from a template with `count` components, each declared as a Dimension or Metric. */
export function componentScenario(count: number): Scenario {
  const dimensions = Math.ceil(count / 2);
  return {
    id: `dv${count}`,
    title: `Data view with ${count.toLocaleString("en-US")} declared components (${dimensions} dimensions, ${count - dimensions} metrics)`,
    declared: { dimensions, metrics: count - dimensions },
    async prepare(target, admin) {
      const setup = await seedComponentTemplate(admin, target.orgId, count);
      return { program: componentProgram(setup, `Bench ${count} components`), config: {} };
    },
  };
}

/**
 * A TypeScript program that declares nothing, run through the same four operations: what the CLI,
 * the language host, the SDK and ts-node cost per operation before any resource, to subtract.
 */
export const EMPTY_SCENARIO: Scenario = {
  id: "empty",
  title: "A TypeScript program with no resources (the CLI's fixed cost per operation)",
  declared: { dimensions: 0, metrics: 0 },
  prepare: async () => ({
    program: generatedProgram(
      "bench-empty",
      "A program with no resources: the benchmark's measure of the CLI's own cost",
      'import * as pulumi from "@pulumi/pulumi";\n\n/** No resources: only the stack itself. */\nexport const stack = pulumi.getStack();\n',
    ),
    config: {},
  }),
};

export type OperationId = "preview" | "up" | "noop" | "refresh" | "recheck";

export interface BenchOperation {
  id: OperationId;
  label: string;
  /** The CLI command. */
  kind: "preview" | "up" | "refresh";
  /** It leaves the state as it found it, so it can run again from the same start (and is, when short: {@link REPEAT_UNDER_MS}). */
  idempotent?: boolean;
}

/** An idempotent operation whose first run took less than this runs twice more, and its median run is the figure. */
export const REPEAT_UNDER_MS = 10_000;

/** In this order, on one new stack: each starts from the state the one before left. */
export const OPERATIONS: readonly BenchOperation[] = [
  { id: "preview", label: "preview (new stack)", kind: "preview" },
  { id: "up", label: "first up", kind: "up" },
  { id: "noop", label: "no-op up", kind: "up", idempotent: true },
  { id: "refresh", label: "refresh", kind: "refresh", idempotent: true },
  // A pull request that changes nothing: what every preview reads to tell the truth (the lookups).
  { id: "recheck", label: "preview (no change)", kind: "preview", idempotent: true },
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

/**
 * The fewest CJA requests Adobe's API allows for an operation of a stack, as derived in
 * docs/BENCHMARKS.md ("The minimum"); undefined where none is derived.
 */
export function minimumRequests(scenario: string, op: OperationId): number | undefined {
  return MINIMUM[scenario]?.[op];
}

/** The fewest AEP requests of an operation of a stack that sends any (docs/BENCHMARKS.md), when derived. */
export function minimumAepRequests(scenario: string, op: OperationId): number | undefined {
  return AEP_MINIMUM[scenario]?.[op];
}

/** k copies of a template, each with its components and one calculated metric, on a connection given by id. */
function viewsMinimum(k: number): Partial<Record<OperationId, number>> {
  return {
    preview: 1, // the connection's data views: the template is on it
    up: 1 + 6 * k, // that list (also every ownership key); per copy: copy, stamp, its two component lists, validate, create of its calculated metric
    noop: 2 * k, // the two component lists of each data view
    refresh: 2 * k + 2, // the connection's data views, two component lists each, one list of the credential's calculated metrics
    recheck: 2 * k,
  };
}

/** One copy of a template whose every component is declared, on a connection given by id. */
const COMPONENTS_MINIMUM: Partial<Record<OperationId, number>> = { preview: 1, up: 5, noop: 2, refresh: 3, recheck: 2 };

const MINIMUM: Record<string, Partial<Record<OperationId, number>>> = {
  // The connection found by name is one more request of each operation; the template's two component lists
  // (requiredComponents) one more per kind in the preview and the first up. Beyond the guide, the filter and the
  // filtered metric are a validate and a create each in the first up, and the 3 calculated metrics and the
  // filter one share write each (Adobe's shares write takes several components, but each is made at its own time);
  // a refresh reads the filter in the list of the data view's filters, the metrics in the list of the credential's own.
  ajo: { preview: 4, up: 20, noop: 3, refresh: 6, recheck: 3 },
  // CJA requests only (the AEP ones are apart). In the preview of a new stack the connection waits for the profile
  // dataset it must hold (made in the same run), so the template is read by id, then its dimensions (one kind).
  audiences: { preview: 2, up: 6, noop: 2, refresh: 3, recheck: 2 },
  views1: viewsMinimum(1),
  views5: viewsMinimum(5),
  views20: viewsMinimum(20),
  // The connection's data views (the template, the ownership keys), copy, stamp; the copy's dimensions, once, to
  // name a rule's missing dimension before any write; each filter's validate and create. A refresh: the data view
  // in the connection's list and the 100 filters in the list of the data view's; nothing else reads Adobe.
  filters100: { preview: 1, up: 4 + 2 * 100, noop: 0, refresh: 2, recheck: 0 },
  dv300: COMPONENTS_MINIMUM,
  dv1000: COMPONENTS_MINIMUM,
  dv3000: COMPONENTS_MINIMUM,
};

/** Status reads of a job that runs `ms` when each read waits one poll interval: the fewest that see it done within an interval. */
const statusReads = (ms: number, intervalMs: number) => Math.ceil(ms / intervalMs);

const AEP_MINIMUM: Record<string, Partial<Record<OperationId, number>>> = {
  // Each audience name looked up once (Adobe's `property=name==…` takes one value); the export dataset looked for
  // by name and created, then read once (its create answers only its id), the profile dataset found by name; the
  // tenant id; the field group and the schema each found whole in one list by title, the schema's identity
  // descriptor; the recent export jobs and queries (their ownership keys), each submission, and its status reads
  // from one poll interval after it (the emulator's export job runs 3 s and its query 1.5 s; the example polls
  // each second); the two datasets' batches (the transform keeps only the newest).
  audiences: {
    preview: 3,
    up: 3 + (2 + 1 + 1) + 1 + (1 + 1 + 1) + (1 + 1 + statusReads(3000, 1000)) + (1 + 1 + statusReads(1500, 1000)) + 2,
    noop: 0,
    refresh: 6, // the export job, the two datasets, the query, the field group and the schema, each by id
    recheck: 0,
  },
};
