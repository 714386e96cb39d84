/**
 * The engine's events as `pulumi up --json` (and `preview --json` with
 * `PULUMI_ENABLE_STREAMING_JSON_PREVIEW`) stream them, one JSON object a line, and the steps read
 * off them; and the plan `pulumi preview --json` prints without streaming (what a pull-request
 * comment is made from), read into the same steps.
 */

export interface StepMetadata {
  op: string;
  urn: string;
  type: string;
  old?: { id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> } | null;
  new?: { id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown>; protect?: boolean } | null;
  keys?: string[];
  diffs?: string[];
  detailedDiff?: Record<string, { kind: string; inputDiff?: boolean }> | null;
}

export interface EngineEvent {
  sequence?: number;
  preludeEvent?: { config: Record<string, string> };
  resourcePreEvent?: { metadata: StepMetadata; planning?: boolean };
  resOutputsEvent?: { metadata: StepMetadata; planning?: boolean };
  resOpFailedEvent?: { metadata: StepMetadata; status: number; steps: number };
  diagnosticEvent?: { urn?: string; message: string; severity: string; color?: string };
  summaryEvent?: { resourceChanges?: Record<string, number>; isPreview?: boolean; result?: string; durationSeconds?: number };
  cancelEvent?: Record<string, never>;
}

/** What happened to one resource in an operation. */
export interface StepSummary {
  urn: string;
  type: string;
  /** The resource's name (last part of its URN). */
  name: string;
  /** The engine's op: `create`, `update`, `same`, `delete`, `replace`, `create-replacement`, `read`, `refresh`, ... */
  op: string;
  /**
   * Keys the provider's diff named (`diffs`). Dynamic providers report none: the SDK's provider
   * host forwards only whether something changed and what replaces, so see {@link changedKeys}.
   */
  diffs: string[];
  /** Top-level input keys whose values differ between the old and the new state (`__provider` left out): what `--diff` displays for an update. */
  changedInputs: string[];
  /** Top-level output keys that differ: what a refresh found changed in Adobe. */
  changedOutputs: string[];
  detailedDiff: Record<string, { kind: string; inputDiff?: boolean }>;
  /** The resource's id after the step, when it has one. */
  id?: string;
  outputs?: Record<string, unknown>;
  /** True when the step failed. */
  failed: boolean;
}

/** Top-level keys of two property bags whose values differ, `__provider` left out; none when either is missing. */
export function differingKeys(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): string[] {
  if (!a || !b) return [];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete("__provider");
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}

/** Parses the JSON lines of an event stream (other lines, such as blank ones, are skipped). */
export function parseEngineEvents(text: string): EngineEvent[] {
  const events: EngineEvent[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed.startsWith("{")) continue;
    try {
      events.push(JSON.parse(trimmed) as EngineEvent);
    } catch {
      // a line of the CLI's own output, not an event
    }
  }
  return events;
}

/**
 * One step per resource: the last outputs event of each URN, else its pre event; failed ones
 * marked. A refresh step (`preview --refresh`, `up --refresh`, `refresh`) is a step of its own,
 * before the step the program's run then plans for the same resource.
 */
export function parseSteps(events: EngineEvent[]): StepSummary[] {
  const byUrn = new Map<string, StepSummary>();
  const key = (m: StepMetadata) => (m.op === "refresh" ? `${m.urn}#refresh` : m.urn);
  const summarize = (m: StepMetadata, failed: boolean): StepSummary => ({
    urn: m.urn,
    type: m.type,
    name: m.urn.split("::").pop() ?? m.urn,
    op: m.op,
    diffs: m.diffs ?? [],
    changedInputs: differingKeys(m.old?.inputs, m.new?.inputs),
    changedOutputs: differingKeys(m.old?.outputs, m.new?.outputs),
    detailedDiff: m.detailedDiff ?? {},
    ...(m.new?.id ? { id: m.new.id } : m.old?.id ? { id: m.old.id } : {}),
    ...(m.new?.outputs ? { outputs: m.new.outputs } : {}),
    failed,
  });
  for (const e of events) {
    // A replace reports create-replacement, then replace, then delete-replaced: keep the replace.
    if (e.resourcePreEvent && !byUrn.has(key(e.resourcePreEvent.metadata))) byUrn.set(key(e.resourcePreEvent.metadata), summarize(e.resourcePreEvent.metadata, false));
    if (e.resOutputsEvent) {
      const m = e.resOutputsEvent.metadata;
      const known = byUrn.get(key(m));
      if (known?.op === "replace" && m.op !== "replace") continue;
      byUrn.set(key(m), summarize(m, false));
    }
    if (e.resOpFailedEvent) {
      const m = e.resOpFailedEvent.metadata;
      byUrn.set(key(m), { ...(byUrn.get(key(m)) ?? summarize(m, true)), failed: true });
    }
  }
  return [...byUrn.values()];
}

/** The error and warning messages of an operation (what the CLI prints under Diagnostics). */
export function diagnostics(events: EngineEvent[], severities: string[] = ["error", "warning"]): string[] {
  return events.flatMap((e) => (e.diagnosticEvent && severities.includes(e.diagnosticEvent.severity) ? [e.diagnosticEvent.message] : []));
}

/** `pulumi preview --json` without streaming: one JSON document, the plan. */
export interface PreviewJson {
  steps: Array<{
    op: string;
    urn: string;
    diffReasons?: string[];
    replaceReasons?: string[];
    detailedDiff?: Record<string, { kind: string; inputDiff?: boolean }> | null;
    oldState?: { id?: string; type?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
    newState?: { id?: string; type?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  }>;
  changeSummary?: Record<string, number>;
  diagnostics?: Array<{ urn?: string; message: string; severity: string }>;
}

/**
 * Reads the stdout of `pulumi preview --json`; undefined when it holds no plan (the CLI failed
 * before the engine ran, e.g. an unknown stack or a stack config it cannot decrypt: it then prints
 * nothing on stdout and the error on stderr).
 */
export function parsePreviewJson(text: string): PreviewJson | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    const plan = JSON.parse(trimmed) as Partial<PreviewJson>;
    return typeof plan === "object" && plan !== null ? { ...plan, steps: Array.isArray(plan.steps) ? plan.steps : [] } : undefined;
  } catch {
    return undefined;
  }
}

/** The type token and name of a URN (`urn:pulumi:<stack>::<project>::<parent types$>type::name`). */
export function urnParts(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const qualified = parts[2] ?? "";
  return { type: qualified.split("$").pop() ?? qualified, name: parts.slice(3).join("::") || urn };
}

/** A step of a preview plan: a {@link StepSummary}, with what replaces the resource and what changed outside Pulumi. */
export interface PlanStep extends StepSummary {
  /** Inputs the provider said replace the resource. */
  replaceReasons: string[];
  /**
   * Top-level input keys a `--refresh` found changed outside Pulumi: those that differ between the
   * resource's refresh step's old state (the state before the refresh) and this step's old state
   * (the live one). The refresh step's own new state is no guide: the CLI prints the state from
   * before the refresh there.
   */
  driftedInputs: string[];
}

/**
 * The steps of a preview plan, as {@link parseSteps} reads them off the event stream: one per
 * resource and op, a replace kept over its create-replacement and delete-replaced, a refresh step
 * (`preview --refresh`) apart from the plan's step of the same resource.
 */
export function planSteps(plan: PreviewJson): PlanStep[] {
  const byKey = new Map<string, PlanStep>();
  const beforeRefresh = new Map(plan.steps.filter((s) => s.op === "refresh").map((s) => [s.urn, s.oldState?.inputs]));
  for (const s of plan.steps) {
    const key = s.op === "refresh" ? `${s.urn}#refresh` : s.urn;
    const known = byKey.get(key);
    if (known?.op === "replace" && s.op !== "replace") continue;
    const { type, name } = urnParts(s.urn);
    const id = s.newState?.id ?? s.oldState?.id;
    byKey.set(key, {
      urn: s.urn,
      type: s.newState?.type ?? s.oldState?.type ?? type,
      name,
      op: s.op,
      diffs: s.diffReasons ?? [],
      replaceReasons: s.replaceReasons ?? [],
      driftedInputs: s.op === "refresh" ? [] : differingKeys(beforeRefresh.get(s.urn), s.oldState?.inputs),
      changedInputs: differingKeys(s.oldState?.inputs, s.newState?.inputs),
      changedOutputs: differingKeys(s.oldState?.outputs, s.newState?.outputs),
      detailedDiff: s.detailedDiff ?? {},
      ...(id ? { id } : {}),
      ...(s.newState?.outputs ? { outputs: s.newState.outputs } : {}),
      failed: false,
    });
  }
  return [...byKey.values()];
}

/** The diagnostics of a preview plan of the given severities (by default what the CLI prints under Diagnostics). */
export function planDiagnostics(plan: PreviewJson, severities: string[] = ["error", "warning"]): Array<{ urn?: string; message: string; severity: string }> {
  return (plan.diagnostics ?? []).filter((d) => severities.includes(d.severity));
}
