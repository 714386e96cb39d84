/**
 * The process-wide Adobe clients of the provider host, one per profile. `configure` (called by
 * Pulumi with the stack config) only stores the config getter; a client is built on first use from
 * the resolved settings, shared by every resource of its profile in the process (one token cache,
 * one limiter per service), and rebuilt when the resolved settings change. A resource's calls run
 * in its profile (`withProfile`), so everything below them asks `adobeClient()` without knowing it.
 */
import { AsyncLocalStorage } from "async_hooks";
import { AdobeClient, type AdobeLogger } from "../adobe/http";
import { profileConfig, ProfileError } from "../adobe/profiles";
import { resolveSettings, sameSettings, type AdobeSettings, type ConfigSource } from "../adobe/settings";

let config: ConfigSource | undefined;
const clients = new Map<string, { settings: AdobeSettings; client: AdobeClient }>();
const profileScope = new AsyncLocalStorage<string | undefined>();

/** Runs `fn` with the settings of `profile` (an `adobe:profiles` entry; undefined: the stack's own). */
export function withProfile<T>(profile: string | undefined, fn: () => Promise<T>): Promise<T> {
  return profileScope.run(profile, fn);
}

/** Why `profile` cannot be used (not declared, or `adobe:profiles` is malformed), or undefined when it can. */
export function profileProblem(profile: string): string | undefined {
  try {
    profileConfig(config, profile);
    return undefined;
  } catch (error) {
    if (error instanceof ProfileError) return error.message;
    throw error;
  }
}

/** Stores Pulumi's config getter (`req.config` of the provider's `configure`). Does no I/O. */
export function configure(source: ConfigSource | undefined): void {
  config = source;
}

/**
 * The client of the current profile, built lazily from the stack config (the profile's values over
 * it) with environment fallbacks.
 * @throws MissingSettingsError naming every missing setting
 * @throws ProfileError when the current profile is not declared
 */
export function adobeClient(): AdobeClient {
  const profile = profileScope.getStore();
  const settings = resolveSettings(profile === undefined ? config : profileConfig(config, profile));
  const key = profile ?? "";
  const current = clients.get(key);
  if (current && sameSettings(current.settings, settings)) return current.client;
  const client = new AdobeClient(settings, { logger: debugLogger() });
  clients.set(key, { settings, client });
  return client;
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
