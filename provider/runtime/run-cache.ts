/**
 * What one run of the provider reads once: a read shared by every resource that needs it (and the
 * request in flight), kept until the run ends (`clearRunCache` is a new run).
 */
import { AdobeApiError } from "../adobe/errors";

const cache = new Map<string, Promise<unknown>>();

/**
 * One read per key and run. A read that failed for good (the client gave up retrying, or Adobe
 * answered a status no retry changes, such as the 404 of a deleted data view) stays failed for the
 * run, so the components of a deleted data view share one failed list; one that may succeed later
 * is forgotten, and the next resource reads again.
 */
export function shared<T>(key: string, read: () => Promise<T>): Promise<T> {
  let entry = cache.get(key) as Promise<T> | undefined;
  if (!entry) {
    entry = read();
    entry.catch((error: unknown) => {
      if (!(error instanceof AdobeApiError) || error.kind !== "http" || error.status >= 500 || error.status === 429) cache.delete(key);
    });
    cache.set(key, entry);
  }
  return entry;
}

/** Seeds `key` with a value read another way (e.g. an object found in a list). */
export function remember<T>(key: string, value: T): void {
  if (!cache.has(key)) cache.set(key, Promise.resolve(value));
}

/** Replaces what `key` holds with a value read again. */
export function renew<T>(key: string, value: T): void {
  cache.set(key, Promise.resolve(value));
}

export function clearRunCache(): void {
  cache.clear();
}
