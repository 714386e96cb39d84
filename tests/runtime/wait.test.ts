/** Waiting for an export job or a query: a status read that fails for now does not end the wait. */
import { AdobeApiError } from "../../provider/adobe/errors";
import { waitForFinal, WaitTimeoutError } from "../../provider/runtime/wait";

function readError(status: number, opts: { exhausted?: boolean } = {}): AdobeApiError {
  const error = new AdobeApiError({ service: "AEP", kind: "http", method: "GET", path: "/data/core/ups/export/jobs/1", status, retryable: status === 429 || status >= 500 });
  return opts.exhausted ? error.exhausted(6, "gave up after 6 attempts (maxRetries 5)") : error;
}

/** A poll that answers from `script` in order: an Error is thrown, anything else returned. */
function scripted(script: Array<string | Error>) {
  let reads = 0;
  return {
    poll: async () => {
      const next = script[Math.min(reads++, script.length - 1)];
      if (next instanceof Error) throw next;
      return next;
    },
    reads: () => reads,
  };
}

const isFinal = (s: string) => s === "SUCCEEDED" || s === "FAILED";

it("goes on after reads that failed past their retries (429, 5xx), and returns the final state", async () => {
  const s = scripted(["PROCESSING", readError(429, { exhausted: true }), readError(503, { exhausted: true }), "SUCCEEDED"]);
  const seen: string[] = [];
  await expect(waitForFinal({ poll: s.poll, isFinal, timeoutMs: 5000, intervalMs: 1, onProgress: (state) => seen.push(state) })).resolves.toBe("SUCCEEDED");
  expect(s.reads()).toBe(4);
  expect(seen).toEqual(["PROCESSING", "SUCCEEDED"]);
});

it("ends at once on an error a retry cannot fix (404, a bug)", async () => {
  const gone = readError(404);
  await expect(waitForFinal({ poll: scripted(["PROCESSING", gone]).poll, isFinal, timeoutMs: 5000, intervalMs: 1 })).rejects.toBe(gone);
  const bug = new TypeError("bug");
  await expect(waitForFinal({ poll: scripted([bug]).poll, isFinal, timeoutMs: 5000, intervalMs: 1 })).rejects.toBe(bug);
});

it("ends at its timeout with the last state read, saying that the last read failed", async () => {
  const error = await waitForFinal({ poll: scripted(["PROCESSING", readError(502, { exhausted: true })]).poll, isFinal, timeoutMs: 30, intervalMs: 5 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WaitTimeoutError);
  expect((error as WaitTimeoutError).last).toBe("PROCESSING");
  expect((error as WaitTimeoutError).message).toMatch(/the last status read failed: AEP GET \/data\/core\/ups\/export\/jobs\/1 failed: 502/);
});
