import { AdobeApiError } from "../../provider/adobe/errors";
import { backoffDelay, parseRetryAfter, retrying, type RetryEnvironment } from "../../provider/adobe/retry";
import type { RetrySettings } from "../../provider/adobe/settings";

const policy: RetrySettings = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000, budgetMs: 10_000 };

/** Time advances only by the waits the retry layer asks for. */
function env(random = 0.5): RetryEnvironment & { waits: number[] } {
  let t = 0;
  const waits: number[] = [];
  return { waits, now: () => t, sleep: async (ms) => void (waits.push(ms), (t += ms)), random: () => random };
}

function failure(status: number, extra: Partial<ConstructorParameters<typeof AdobeApiError>[0]> = {}) {
  return new AdobeApiError({
    service: "CJA",
    kind: status === 0 ? "network" : "http",
    method: "GET",
    path: "/p",
    status,
    retryable: status === 0 || status === 429 || status >= 500,
    ...extra,
  });
}

/** An attempt function that fails with the given errors in order, then returns "ok". */
function script(...errors: AdobeApiError[]) {
  const calls: number[] = [];
  const fn = async (n: number) => {
    calls.push(n);
    const e = errors.shift();
    if (e) throw e;
    return "ok";
  };
  return { fn, calls };
}

describe("backoffDelay", () => {
  it("is full jitter under an exponential ceiling capped at maxDelayMs", () => {
    expect(backoffDelay(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(200);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("3", 0)).toBe(3000);
    expect(parseRetryAfter("0.25", 0)).toBe(250);
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe("retrying", () => {
  it("retries 429, 5xx and network errors with backoff, then succeeds", async () => {
    const e = env(0.5);
    const s = script(failure(429), failure(503), failure(0));
    await expect(retrying(s.fn, { policy, idempotent: true, env: e })).resolves.toBe("ok");
    expect(s.calls).toEqual([1, 2, 3, 4]);
    expect(e.waits).toEqual([50, 100, 200]);
  });

  it("waits what Retry-After asks instead of the backoff", async () => {
    const e = env();
    const s = script(failure(429, { retryAfterMs: 2000 }));
    await retrying(s.fn, { policy, idempotent: true, env: e });
    expect(e.waits).toEqual([2000]);
  });

  it("gives up after maxRetries retries with the attempts in the message", async () => {
    const s = script(failure(500), failure(500), failure(500), failure(500), failure(500));
    const error = await retrying(s.fn, { policy, idempotent: true, env: env() }).catch((x) => x);
    expect(s.calls).toEqual([1, 2, 3, 4]);
    expect(error).toBeInstanceOf(AdobeApiError);
    expect(error.attempts).toBe(4);
    expect(error.message).toMatch(/CJA GET \/p failed: 500; gave up after 4 attempts \(maxRetries 3\)/);
  });

  it("gives up when the next wait would exceed the time budget", async () => {
    const s = script(failure(429, { retryAfterMs: 4000 }), failure(429, { retryAfterMs: 4000 }), failure(429, { retryAfterMs: 4000 }));
    const e = env();
    const error = await retrying(s.fn, { policy: { ...policy, budgetMs: 6000 }, idempotent: true, env: e }).catch((x) => x);
    expect(s.calls).toEqual([1, 2]);
    expect(e.waits).toEqual([4000]);
    expect(error.message).toMatch(/would exceed the retry budget of 6000 ms/);
  });

  it("does not retry a 4xx", async () => {
    const s = script(failure(400));
    await expect(retrying(s.fn, { policy, idempotent: true, env: env() })).rejects.toMatchObject({ status: 400 });
    expect(s.calls).toEqual([1]);
  });

  it("repeats a rejected token once at once, then treats a second 401 as final", async () => {
    const e = env();
    const s = script(failure(401, { tokenRejected: true }));
    await expect(retrying(s.fn, { policy, idempotent: false, env: e })).resolves.toBe("ok");
    expect(e.waits).toEqual([]);
    const s2 = script(failure(401, { tokenRejected: true }), failure(401, { tokenRejected: true }));
    await expect(retrying(s2.fn, { policy, idempotent: true, env: env() })).rejects.toMatchObject({ status: 401 });
    expect(s2.calls).toEqual([1, 2]);
  });

  describe("non-idempotent requests", () => {
    it("throw a 5xx or a dropped connection without a recover hook", async () => {
      for (const err of [failure(502), failure(0), failure(0, { kind: "timeout" })]) {
        const s = script(err);
        const error = await retrying(s.fn, { policy, idempotent: false, env: env() }).catch((x) => x);
        expect(s.calls).toEqual([1]);
        expect(error.message).toMatch(/not retried: the request is not idempotent/);
      }
    });

    it("always retry a 429: the gateway rejected the request", async () => {
      const s = script(failure(429));
      await expect(retrying(s.fn, { policy, idempotent: false, env: env() })).resolves.toBe("ok");
      expect(s.calls).toEqual([1, 2]);
    });

    it("return what recover finds instead of repeating", async () => {
      const s = script(failure(500));
      const recover = jest.fn(async () => "found");
      await expect(retrying(s.fn, { policy, idempotent: false, recover, env: env() })).resolves.toBe("found");
      expect(s.calls).toEqual([1]);
      expect(recover).toHaveBeenCalledTimes(1);
    });

    it("repeat when recover finds nothing, asking again after each ambiguous failure", async () => {
      const s = script(failure(0), failure(504));
      const recover = jest.fn(async () => undefined);
      await expect(retrying(s.fn, { policy, idempotent: false, recover, env: env() })).resolves.toBe("ok");
      expect(s.calls).toEqual([1, 2, 3]);
      expect(recover).toHaveBeenCalledTimes(2);
    });

    it("wait the backoff before asking recover, so a slow attempt has time to land", async () => {
      const e = env(0.5);
      const s = script(failure(500));
      const asked: number[] = [];
      const recover = async () => {
        asked.push(e.now());
        return "found";
      };
      await expect(retrying(s.fn, { policy, idempotent: false, recover, env: e })).resolves.toBe("found");
      expect(e.waits).toEqual([50]);
      expect(asked).toEqual([50]);
    });

    it("ask recover once more when retries have run out, then give up", async () => {
      const found = await retrying(script(failure(503)).fn, { policy: { ...policy, maxRetries: 0 }, idempotent: false, recover: async () => "late", env: env() });
      expect(found).toBe("late");
      const s = script(failure(503), failure(503));
      const recover = jest.fn(async () => undefined);
      const error = await retrying(s.fn, { policy: { ...policy, maxRetries: 1 }, idempotent: false, recover, env: env() }).catch((x) => x);
      expect(s.calls).toEqual([1, 2]);
      expect(recover).toHaveBeenCalledTimes(2);
      expect(error.message).toMatch(/gave up after 2 attempts/);
    });

    it("after a timeout or a 504, wait at least settleMs before asking recover: the attempt may still land", async () => {
      for (const err of [failure(0, { kind: "timeout" }), failure(504)]) {
        const e = env(0.5);
        const asked: number[] = [];
        const recover = async () => {
          asked.push(e.now());
          return "found";
        };
        await expect(retrying(script(err).fn, { policy, idempotent: false, recover, settleMs: 700, env: e })).resolves.toBe("found");
        expect(e.waits).toEqual([700]);
        expect(asked).toEqual([700]);
      }
    });

    it("after another 5xx or a dropped connection (the attempt is over, done or not) wait only the backoff", async () => {
      for (const err of [failure(500), failure(502), failure(503), failure(0)]) {
        const e = env(0.5);
        await retrying(script(err).fn, { policy, idempotent: false, recover: async () => "found", settleMs: 700, env: e });
        expect(e.waits).toEqual([50]);
      }
    });

    it("wait settleMs before the last recover too, when retries have run out", async () => {
      const e = env(0.5);
      const asked: number[] = [];
      const recover = async () => {
        asked.push(e.now());
        return undefined;
      };
      const error = await retrying(script(failure(0, { kind: "timeout" })).fn, { policy: { ...policy, maxRetries: 0 }, idempotent: false, recover, settleMs: 700, env: e }).catch((x) => x);
      expect(asked).toEqual([700]);
      expect(error.message).toMatch(/gave up after 1 attempts/);
    });

    it("when an attempt timed out and nothing was found, the final error says Adobe may still carry it out; after only refusals it does not", async () => {
      const recover = async () => undefined;
      const late = await retrying(script(failure(0, { kind: "timeout", method: "POST" }), failure(503, { method: "POST" })).fn, {
        policy: { ...policy, maxRetries: 1 },
        idempotent: false,
        recover,
        settleMs: 10,
        env: env(),
      }).catch((x) => x);
      expect(late.message).toMatch(/gave up after 2 attempts \(maxRetries 1\); Adobe may still carry out an attempt whose answer never came: look for its result before creating it again/);
      const refused = await retrying(script(failure(503), failure(503)).fn, { policy: { ...policy, maxRetries: 1 }, idempotent: false, recover, env: env() }).catch((x) => x);
      expect(refused.message).not.toMatch(/may still carry out/);
    });

    it("say that the request may have been carried out when looking for its result fails", async () => {
      const lookup = failure(503).exhausted(6, "gave up after 6 attempts (maxRetries 5)");
      const error = await retrying(script(failure(0, { kind: "timeout", method: "POST" })).fn, {
        policy,
        idempotent: false,
        recover: async () => Promise.reject(lookup),
        settleMs: 700,
        env: env(),
      }).catch((x) => x);
      expect(error).toBeInstanceOf(AdobeApiError);
      expect(error.method).toBe("POST");
      expect(error.message).toMatch(/the server may have carried it out, and looking for its result failed \(CJA GET \/p failed: 503.*\); check for it before running again$/);
    });

    it("do not call recover for a 429", async () => {
      const recover = jest.fn(async () => "found");
      const s = script(failure(429));
      await expect(retrying(s.fn, { policy, idempotent: false, recover, env: env() })).resolves.toBe("ok");
      expect(recover).not.toHaveBeenCalled();
    });
  });

  it("passes other errors through untouched", async () => {
    const boom = new TypeError("bug");
    await expect(retrying(async () => Promise.reject(boom), { policy, idempotent: true, env: env() })).rejects.toBe(boom);
  });
});
