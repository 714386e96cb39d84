/**
 * Reads of one kind of object that arrive together go to Adobe as one list filtered by their ids
 * (`GET /calculatedmetrics?filterByIds=…`, `GET /data/connections?connectionIds=…`, ...) instead of
 * one per object. A batch holds only the reads the engine has handed over at once: `pulumi` runs at
 * most `--parallel` resource operations at a time, 4 per CPU by default, so a refresh of more
 * objects of one kind takes more than one list (data views and filters are therefore read first
 * from their connection's and data view's list, `component-cache.ts`). A read alone is one `GET` by
 * id, as before. An id the list leaves out (deleted, or not listed to this credential: Adobe's
 * lists show what the user owns or was shared) is read by id, so a missing object is a 404 as
 * before and never a guess.
 */
import type { AdobeClient } from "../adobe/http";
import { adobeClient } from "./client";

/**
 * A batch is sent once no read of any resource has reached the provider for this long (the engine
 * sends a refresh's reads of every kind interleaved, a few ms apart, slower on a busy machine), and
 * at the latest `BATCH_MAX_WAIT_MS` after its first read. A refresh of hundreds of resources takes
 * the engine seconds to hand over; waiting for all of it costs no time where the requests are more
 * than Adobe's 12 per 6 s, as the other reads' requests fill the wait.
 */
export const BATCH_QUIET_MS = 100;
export const BATCH_MAX_WAIT_MS = 5000;
/** Ids per list request (the page size the list functions ask for). */
export const BATCH_MAX = 100;

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

interface Batch<T> {
  waiters: Map<string, Array<Waiter<T>>>;
  started: number;
  timer?: NodeJS.Timeout;
  /** (Re)starts the quiet timer. */
  wait(): void;
}

/** Every batch still gathering, to restart their quiet timers when any read arrives. */
const gathering = new Set<Batch<unknown>>();

/** A resource's read reached the provider: the batches gathering wait for the next quiet moment. */
export function readArrived(): void {
  for (const batch of gathering) batch.wait();
}

export interface BatchedRead<T> {
  /** Lists the objects with these ids (one request, or one per page). */
  list(client: AdobeClient, ids: string[]): Promise<T[]>;
  /** Reads one object by id (throws Adobe's 404 when it does not exist). */
  get(client: AdobeClient, id: string): Promise<T>;
  idOf(object: T): string;
}

/** The batches still gathering reads, per client (so per profile: org, sandbox, credential) and kind. */
const open = new WeakMap<AdobeClient, Map<string, Batch<unknown>>>();

/** The object `id`, read with every other read of the same `kind` that arrives within the window. */
export function batchedRead<T>(kind: string, id: string, how: BatchedRead<T>): Promise<T> {
  const client = adobeClient();
  let batches = open.get(client);
  if (!batches) open.set(client, (batches = new Map()));
  let batch = batches.get(kind) as Batch<T> | undefined;
  if (!batch) {
    const gatheringOfClient = batches;
    const opened: Batch<T> = {
      waiters: new Map(),
      started: Date.now(),
      wait() {
        clearTimeout(opened.timer);
        opened.timer = setTimeout(
          () => {
            gatheringOfClient.delete(kind);
            gathering.delete(opened as Batch<unknown>);
            void flush(client, opened, how);
          },
          Math.min(BATCH_QUIET_MS, Math.max(0, opened.started + BATCH_MAX_WAIT_MS - Date.now())),
        );
      },
    };
    batches.set(kind, opened as Batch<unknown>);
    gathering.add(opened as Batch<unknown>);
    batch = opened;
  }
  readArrived();
  const waiters = batch.waiters;
  return new Promise<T>((resolve, reject) => {
    const same = waiters.get(id);
    if (same) same.push({ resolve, reject });
    else waiters.set(id, [{ resolve, reject }]);
  });
}

/** Each list's objects by id, built once per list. */
const indexes = new WeakMap<object, Map<string, unknown>>();

/**
 * `id` from a list this run reads once (a connection's data views, a data view's filters, the
 * credential's calculated metrics) when it holds it, else read with the others of its kind by id.
 * A list that failed is read past: the read by id answers, or fails, for itself.
 */
export async function listedOrBatched<T>(list: Promise<T[]> | undefined, kind: string, id: string, how: BatchedRead<T>): Promise<T> {
  const all = list === undefined ? undefined : await list.catch(() => undefined);
  if (all) {
    let index = indexes.get(all) as Map<string, T> | undefined;
    if (!index) indexes.set(all, (index = new Map(all.map((o) => [how.idOf(o), o] as const))));
    const listed = index.get(id);
    if (listed !== undefined) return listed;
  }
  return batchedRead(kind, id, how);
}

async function flush<T>(client: AdobeClient, batch: Batch<T>, how: BatchedRead<T>): Promise<void> {
  const ids = [...batch.waiters.keys()];
  const settle = (id: string, outcome: { value: T } | { error: unknown }) => {
    for (const w of batch.waiters.get(id) ?? []) "value" in outcome ? w.resolve(outcome.value) : w.reject(outcome.error);
  };
  const byId = async (id: string) => {
    try {
      settle(id, { value: await how.get(client, id) });
    } catch (error) {
      settle(id, { error });
    }
  };
  if (ids.length === 1) return byId(ids[0]);
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += BATCH_MAX) chunks.push(ids.slice(i, i + BATCH_MAX));
  await Promise.all(
    chunks.map(async (chunk) => {
      let listed: T[];
      try {
        listed = await how.list(client, chunk);
      } catch (error) {
        for (const id of chunk) settle(id, { error });
        return;
      }
      const found = new Map(listed.map((o) => [how.idOf(o), o] as const));
      await Promise.all(chunk.map((id) => (found.has(id) ? settle(id, { value: found.get(id)! }) : byId(id))));
    }),
  );
}
