/**
 * The engine's events as `pulumi up --json` (and `preview --json` with
 * `PULUMI_ENABLE_STREAMING_JSON_PREVIEW`) stream them, one JSON object a line, and the steps read
 * off them.
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
