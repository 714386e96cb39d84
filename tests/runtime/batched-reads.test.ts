/** Reads that arrive together, gathered into one list: the quiet moment is of every read, not only those of one kind. */
import { BATCH_QUIET_MS, batchedRead, readArrived, type BatchedRead } from "../../provider/runtime/batched-reads";
import { configure } from "../../provider/runtime/client";

const CONFIG: Record<string, string> = { "adobe:orgId": "TESTORG@AdobeOrg", "adobe:clientId": "client", "adobe:clientSecret": "secret" };

interface Thing {
  id: string;
}

function recorder(): { how: BatchedRead<Thing>; lists: string[][]; gets: string[] } {
  const lists: string[][] = [];
  const gets: string[] = [];
  return {
    lists,
    gets,
    how: {
      list: async (_client, ids) => {
        lists.push(ids);
        return ids.map((id) => ({ id }));
      },
      get: async (_client, id) => {
        gets.push(id);
        return { id };
      },
      idOf: (t) => t.id,
    },
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(() => configure({ get: (key) => CONFIG[key] }));
afterAll(() => configure(undefined));

it("reads of one kind spread over longer than the quiet window, with reads of other resources between them, go as one list", async () => {
  const { how, lists, gets } = recorder();
  const reads: Array<Promise<Thing>> = [];
  for (let i = 0; i < 5; i++) {
    reads.push(batchedRead("things", `t${i}`, how));
    // Other resources' reads keep arriving, each well within the quiet window of the one before.
    for (let j = 0; j < 4; j++) {
      await pause(BATCH_QUIET_MS / 2);
      readArrived();
    }
  }
  expect((await Promise.all(reads)).map((t) => t.id)).toEqual(["t0", "t1", "t2", "t3", "t4"]);
  expect(lists).toEqual([["t0", "t1", "t2", "t3", "t4"]]);
  expect(gets).toEqual([]);
});

it("a read alone is one read by id, sent once the provider has been quiet for the window", async () => {
  const { how, lists, gets } = recorder();
  const started = Date.now();
  await batchedRead("alone", "x", how);
  expect(Date.now() - started).toBeGreaterThanOrEqual(BATCH_QUIET_MS - 5);
  expect([lists, gets]).toEqual([[], ["x"]]);
});
