/**
 * Brings a sandbox up to the clock: every export job and query whose finish time has passed
 * takes effect, in finish-time order, so a query reads the rows of an export that finished
 * before it even when nobody polled that export.
 */
import type { EmulatorContext } from "../types";
import { exportJobFinishTime, settleExportJob } from "./export-job-runner";
import { queryFinishTime, settleQuery } from "./query-runner";
import type { AepSandboxState } from "./state";

/** Applies every asynchronous outcome that is due in the sandbox; returns the instant it settled to. */
export function settleSandbox(state: AepSandboxState, ctx: EmulatorContext): number {
  const now = ctx.now();
  const due: { at: number; run: () => void }[] = [];
  for (const job of Object.values(state.exportJobs)) {
    if (!job.outcome && exportJobFinishTime(job) <= now) due.push({ at: exportJobFinishTime(job), run: () => settleExportJob(job, state, ctx, now) });
  }
  for (const query of Object.values(state.queries)) {
    if (!query.outcome && query.killedAt === undefined && queryFinishTime(query) <= now) {
      due.push({ at: queryFinishTime(query), run: () => settleQuery(query, state, ctx, now) });
    }
  }
  due.sort((a, b) => a.at - b.at);
  for (const item of due) item.run();
  return now;
}
