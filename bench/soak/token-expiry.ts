/**
 * Expires every issued token in the middle of a run: watches the emulator's request log and fires
 * `POST /_emulator/tokens/expire` once `afterRequests` requests have arrived.
 */
import type { EmulatorAdmin } from "../emulator-admin";

export interface TokenExpiry {
  /** Stops watching; resolves with whether the tokens were expired. */
  stop(): Promise<boolean>;
}

const POLL_MS = 5;

export function expireTokensAfter(admin: EmulatorAdmin, afterRequests: number): TokenExpiry {
  let stopped = false;
  let fired = false;
  const watching = (async () => {
    while (!stopped) {
      const { log } = await admin.requests();
      if (log.length >= afterRequests) {
        await admin.expireTokens();
        fired = true;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await watching;
      return fired;
    },
  };
}
