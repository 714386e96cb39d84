import { collectPages, pageOf, type Page } from "../../provider/adobe/cja/pages";
import { z } from "zod";
import type { AdobeClient } from "../../provider/adobe/http";
import { listAudiences } from "../../provider/adobe/aep/audiences";
import { listExportJobs } from "../../provider/adobe/aep/export-jobs";

const item = (id: string) => ({ id });

describe("collectPages", () => {
  it("follows pages until the envelope says lastPage / last", async () => {
    const pages: Page<{ id: string }>[] = [
      { content: [item("a"), item("b")], lastPage: false },
      { content: [item("c"), item("d")], last: false },
      { content: [item("e")], lastPage: true },
    ];
    const asked: number[] = [];
    const all = await collectPages(async (p) => (asked.push(p), pages[p]));
    expect(all.map((i) => i.id)).toEqual(["a", "b", "c", "d", "e"]);
    expect(asked).toEqual([0, 1, 2]);
  });

  it("stops at totalPages, at a short page, and when a server ignores `page`", async () => {
    const byTotal = await collectPages(async (p) => ({ content: [item(`x${p}`)], totalPages: 2 }));
    expect(byTotal.map((i) => i.id)).toEqual(["x0", "x1"]);
    const short = jest.fn(async (p: number) => (p === 0 ? [item("a"), item("b")] : [item("c")]));
    expect((await collectPages(short, 2)).map((i) => i.id)).toEqual(["a", "b", "c"]);
    expect(short).toHaveBeenCalledTimes(2);
    const ignoring = jest.fn(async () => [item("a"), item("b")]);
    expect((await collectPages(ignoring, 2)).map((i) => i.id)).toEqual(["a", "b"]);
    expect(ignoring).toHaveBeenCalledTimes(2);
  });

  it("pageOf accepts a bare array or an envelope, with unknown fields", () => {
    const schema = pageOf(z.looseObject({ id: z.string() }));
    expect(schema.parse([{ id: "a", extra: 1 }])).toEqual([{ id: "a", extra: 1 }]);
    expect(schema.parse({ content: [{ id: "a" }], firstPage: true, lastPage: true, sort: null })).toMatchObject({ content: [{ id: "a" }] });
  });
});

describe("AEP lists whose pages overlap keep each item once", () => {
  const clientAnswering = (pages: unknown[]) => {
    const queries: Record<string, unknown>[] = [];
    const client = { request: jest.fn(async (opts: { query: Record<string, unknown> }) => (queries.push(opts.query), pages[queries.length - 1])) };
    return { client: client as unknown as AdobeClient, queries };
  };

  it("audiences: next as a string or a number, an audience repeated on the next page counted once", async () => {
    const { client, queries } = clientAnswering([
      { children: [{ id: "a1" }, { id: "a2" }], _page: { totalCount: 3, pageSize: 2, next: "2" } },
      { children: [{ id: "a2" }, { id: "a3" }], _page: { totalCount: 3, pageSize: 2, next: 4 } },
      { children: [{ id: "a3" }], _page: { totalCount: 3, pageSize: 1 } },
    ]);
    expect((await listAudiences(client, { limit: 2 })).map((a) => a.id)).toEqual(["a1", "a2", "a3"]);
    expect(queries.map((q) => q.start)).toEqual([undefined, 2, 4]);
  });

  it("export jobs: a job repeated on the next page counted once, and a page of repeats ends the list", async () => {
    const { client } = clientAnswering([
      { records: [{ id: 1 }, { id: 2 }], link: { next: "?limit=2&offset=2" } },
      { records: [{ id: 2 }, { id: 3 }], link: { next: "?limit=2&offset=4" } },
      { records: [{ id: 3 }], link: { next: "?limit=2&offset=6" } },
    ]);
    expect((await listExportJobs(client, { limit: 2 })).map((j) => j.id)).toEqual([1, 2, 3]);
  });
});
