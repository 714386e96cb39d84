/**
 * A stack the soak runs again and again: each run declares a variant of it (so that every run
 * creates, updates, replaces or deletes something), and after each run a check compares what the
 * emulator holds with what the variant declares.
 */
import type { ProgramSource } from "../../cli/workspace";
import type { EmulatorDump, Problem, SoakState } from "./emulator-view";
import type { Random } from "./random";

export interface SoakStack<V> {
  /** The example's name (`ajo-cja`). */
  name: string;
  project: string;
  /** The variant of the first run. */
  initial: V;
  /** The next run's variant, from the last one. */
  next(random: Random, last: V, run: number): V;
  describe(variant: V): string;
  /** What `next` changed, in words the report counts (`data view renamed`); what every run changes is left out. */
  changes(last: V, next: V): string[];
  /** The full stack config of a variant (`adobe:*` included, the client secret too): the variant is all in the config. */
  config(variant: V): Record<string, string>;
  /** The program as the real CLI runs it: files copied into the stack's workspace. */
  cliProgram: ProgramSource;
  /** The same program for the in-process engine. */
  inProcessProgram: () => unknown;
  /**
   * What is wrong in `dump` for this stack after a run of `variant` that left `state`. With
   * `converged` (the run succeeded), Adobe must hold exactly what the variant declares;
   * otherwise only what no later run can repair is checked strictly. Objects in `setAside` (left
   * over by a violation already counted) are left out, so one leftover is counted once.
   */
  check(dump: EmulatorDump, state: SoakState | undefined, variant: V, converged: boolean, setAside: ReadonlySet<string>): Problem[];
  /** Lets Adobe's asynchronous work (export jobs, queries) that is due finish before a check. */
  settle?(): Promise<void>;
  /** Makes Adobe itself fail the stack's next long-running job (`arm`), or stops that (`disarm`). */
  adobeFailure?: { arm(): Promise<void>; disarm(): Promise<void> };
}
