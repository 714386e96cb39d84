import { collectPages, pageOf, type Page } from "../../provider/adobe/cja/pages";
import { z } from "zod";

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
