/**
 * Persistence: the state file is written while running and on close, read back at start, and
 * written atomically; the store keeps services, orgs and sandboxes apart.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { startEmulator } from "../../emulator/server";
import { JsonStateStore } from "../../emulator/state-store";
import { startTestEmulator, testSpecDir, TEST_ORG } from "../helpers/emulator";
import { dateRangeRoutes } from "./core-test-routes";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "emulator-state-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`never happened: ${what}`);
}

describe("state file", () => {
  it("keeps objects across a restart", async () => {
    const stateFile = path.join(dir, "nested", "state.json");
    const first = await startTestEmulator({ stateFile, extraRoutes: dateRangeRoutes });
    const created = await first.call<{ id: string }>("POST", "/projects", { body: { name: "survives" } });
    expect(created.status).toBe(200);
    await first.close();

    const second = await startTestEmulator({ stateFile, extraRoutes: dateRangeRoutes });
    try {
      const read = await second.call("GET", `/projects/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ id: created.body.id, name: "survives" });
    } finally {
      await second.close();
    }
  });

  it("is written while running, atomically (no temporary file left, always whole JSON)", async () => {
    const stateFile = path.join(dir, "state.json");
    const emu = await startTestEmulator({ stateFile, extraRoutes: dateRangeRoutes });
    try {
      const created = await emu.call<{ id: string }>("POST", "/projects", { body: { name: "written" } });
      await eventually(() => existsSync(stateFile), "state file written");
      const onDisk = JSON.parse(readFileSync(stateFile, "utf8"));
      expect(onDisk.orgs.cja[TEST_ORG].dateRanges[created.body.id]).toEqual({ id: created.body.id, name: "written" });
      expect(readdirSync(dir)).toEqual(["state.json"]);
    } finally {
      await emu.close();
    }
  });

  it("refuses to start on a file that is not an emulator state", async () => {
    const stateFile = path.join(dir, "state.json");
    writeFileSync(stateFile, "{ not json");
    await expect(startEmulator({ port: 0, stateFile, specDir: testSpecDir() })).rejects.toThrow(/not valid JSON/);
    writeFileSync(stateFile, JSON.stringify({ something: "else" }));
    await expect(startEmulator({ port: 0, stateFile, specDir: testSpecDir() })).rejects.toThrow(/not an emulator state/);
  });

  it("is emptied on disk by a reset", async () => {
    const stateFile = path.join(dir, "state.json");
    const emu = await startTestEmulator({ stateFile, extraRoutes: dateRangeRoutes });
    await emu.call("POST", "/projects", { body: { name: "gone after reset" } });
    await emu.reset();
    await emu.close();
    expect(JSON.parse(readFileSync(stateFile, "utf8"))).toEqual({ version: 1, orgs: { cja: {}, aep: {} }, sandboxes: { aep: {} } });
  });
});

describe("JsonStateStore", () => {
  it("keeps services, orgs and sandboxes apart and creates each slice once", () => {
    const store = new JsonStateStore();
    let inits = 0;
    const cjaA = store.org("cja", "A", () => ({ items: [] as string[], n: ++inits }));
    cjaA.items.push("a");
    expect(store.org("cja", "A", () => ({ items: [] as string[], n: ++inits }))).toBe(cjaA);
    expect(store.org("cja", "B", () => ({ items: [] as string[] })).items).toEqual([]);
    expect(store.org("aep", "A", () => ({ items: [] as string[] })).items).toEqual([]);
    const prod = store.sandbox("aep", "A", "prod", () => ({ jobs: 1 }));
    const dev = store.sandbox("aep", "A", "dev", () => ({ jobs: 2 }));
    expect(prod).not.toBe(dev);
    expect(store.sandbox("aep", "B", "prod", () => ({ jobs: 3 })).jobs).toBe(3);
    expect(inits).toBe(1);
    expect(store.dump()).toEqual({
      version: 1,
      orgs: { cja: { A: { items: ["a"], n: 1 }, B: { items: [] } }, aep: { A: { items: [] } } },
      sandboxes: { aep: { A: { prod: { jobs: 1 }, dev: { jobs: 2 } }, B: { prod: { jobs: 3 } } } },
    });
  });
});
