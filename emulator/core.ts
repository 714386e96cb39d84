/**
 * The emulator's shared machinery in one object: options, state, tokens, rate limiter, faults,
 * counters, the loaded specs and the list of responses that broke them.
 */
import { randomBytes } from "crypto";
import { RequestRecorder } from "./counters";
import { FaultInjector } from "./faults";
import { TokenRegistry } from "./ims";
import { SlidingWindowLimiter } from "./rate-limit";
import type { SpecCatalog } from "./spec-validator";
import { JsonStateStore } from "./state-store";
import type { EmulatorContext, EmulatorOptions, HttpMethod, SpecName } from "./types";

/** An emulator answer that broke the contract, or a handler that threw. */
export interface ValidationFailure {
  /** `response`: the body broke the spec's response schema; `handler-error`: the handler threw. */
  kind: "response" | "handler-error";
  at: number;
  method: HttpMethod;
  route: string;
  path: string;
  /** Status the handler answered (for `handler-error`: 500). */
  status: number;
  spec?: SpecName;
  operationId?: string;
  /** One line per broken field (or the error message). */
  problems: string[];
}

export interface EmulatorCore {
  /** Live options: faults and rate limit change through the admin API. */
  options: EmulatorOptions;
  /** The options the emulator started with; `POST /_emulator/reset` returns to them. */
  readonly startOptions: EmulatorOptions;
  readonly state: JsonStateStore;
  readonly recorder: RequestRecorder;
  readonly limiter: SlidingWindowLimiter;
  readonly faults: FaultInjector;
  readonly tokens: TokenRegistry;
  /** Null when running without the spec folder (zod checks only). */
  readonly specs: SpecCatalog | null;
  readonly validationFailures: ValidationFailure[];
  /** What handlers receive. */
  readonly context: EmulatorContext;
  /** Clears state, counters and scripted faults; faults and rate limit back to the start options. Tokens stay valid. */
  reset(): void;
}

function idGenerator(): (length?: number) => string {
  const issued = new Set<string>();
  return (length = 24) => {
    for (;;) {
      const id = randomBytes(Math.ceil(length / 2)).toString("hex").slice(0, length);
      if (!issued.has(id)) {
        issued.add(id);
        return id;
      }
    }
  };
}

function copyOptions(options: EmulatorOptions): EmulatorOptions {
  return JSON.parse(JSON.stringify(options)) as EmulatorOptions;
}

export function createCore(startOptions: EmulatorOptions, specs: SpecCatalog | null): EmulatorCore {
  const options = copyOptions(startOptions);
  const state = new JsonStateStore(options.stateFile);
  const recorder = new RequestRecorder();
  const limiter = new SlidingWindowLimiter(options.rateLimit);
  const faults = new FaultInjector(options.faults);
  const context: EmulatorContext = { state, now: () => Date.now(), newId: idGenerator(), options };
  return {
    options,
    startOptions: copyOptions(startOptions),
    state,
    recorder,
    limiter,
    faults,
    tokens: new TokenRegistry(),
    specs,
    validationFailures: [],
    context,
    reset() {
      state.reset();
      recorder.clear();
      options.faults = { ...this.startOptions.faults };
      faults.configure(options.faults);
      options.rateLimit = this.startOptions.rateLimit && { ...this.startOptions.rateLimit };
      limiter.configure(options.rateLimit);
    },
  };
}
