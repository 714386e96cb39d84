/**
 * The process-wide Adobe client of the provider host. `configure` (called by Pulumi with the
 * stack config) only stores the config getter; the client is built on first use from the
 * resolved settings, shared by every resource in the process (one token cache, one limiter per
 * service), and rebuilt when the resolved settings change.
 */
import { AdobeClient, type AdobeLogger } from "../adobe/http";
import { resolveSettings, sameSettings, type AdobeSettings, type ConfigSource } from "../adobe/settings";

let config: ConfigSource | undefined;
let current: { settings: AdobeSettings; client: AdobeClient } | undefined;

/** Stores Pulumi's config getter (`req.config` of the provider's `configure`). Does no I/O. */
export function configure(source: ConfigSource | undefined): void {
  config = source;
}

/**
 * The process-wide client, built lazily from the stack config with environment fallbacks.
 * @throws MissingSettingsError naming every missing setting
 */
export function adobeClient(): AdobeClient {
  const settings = resolveSettings(config);
  if (!current || !sameSettings(current.settings, settings)) {
    current = { settings, client: new AdobeClient(settings, { logger: debugLogger() }) };
  }
  return current.client;
}

const verified = new WeakMap<AdobeClient, Promise<void>>();

/**
 * The credentials checked with IMS once per client (one token request, the token then reused by
 * every call), so a preview that needs nothing else from Adobe still fails on a wrong secret, with
 * the message `up` would give. A failed check is not remembered: the next one asks again.
 */
export async function verifyCredentials(): Promise<void> {
  const client = adobeClient();
  let check = verified.get(client);
  if (!check) {
    check = client.verifyCredentials().catch((error: unknown) => {
      verified.delete(client);
      throw error;
    });
    verified.set(client, check);
  }
  return check;
}

/** Debug lines go to stderr (the provider host's log) when `ADOBE_DEBUG` is set. */
function debugLogger(): AdobeLogger | undefined {
  if (!process.env.ADOBE_DEBUG) return undefined;
  return { debug: (line) => process.stderr.write(`[adobe] ${line}\n`) };
}
