/**
 * The in-process engine after a failed `up`, as Pulumi behaves: a data view replaced in a run that
 * fails is deleted before its replacement is made (it asks for delete-before-replace), so the state
 * holds only the new one; an object whose delete failed stays in the state. So no object of the
 * stack is ever forgotten.
 */
import * as pulumi from "@pulumi/pulumi";
import { DataView } from "../../provider";
import { EmulatorAdmin } from "../../bench/emulator-admin";
import { EngineRunError, runProgram, type EngineState, type RunResult } from "../../bench/in-process-engine";
import { startTestEmulator, TEST_ORG, type TestEmulator } from "../helpers/emulator";

const CONNECTION_1 = "dg_11111111-2222-4333-8444-555555555555";
const CONNECTION_2 = "dg_66666666-7777-4888-8999-aaaaaaaaaaaa";

let emu: TestEmulator;

interface Declared {
  connectionA: string;
  nameB?: string;
}

function program(declared: Declared): () => unknown {
  return () => {
    const a = new DataView("a", { name: "A", connectionId: declared.connectionA, timezone: "US/Mountain" });
    if (declared.nameB === undefined) return { a: a.dataViewId };
    const b = new DataView("b", { name: declared.nameB, connectionId: CONNECTION_1, timezone: "US/Mountain" }, { dependsOn: [a] as pulumi.Resource[] });
    return { a: a.dataViewId, b: b.dataViewId };
  };
}

function up(declared: Declared, state?: EngineState, overrides: Record<string, string> = {}): Promise<RunResult> {
  const config = { ...emu.config(), "adobe:cjaRateLimit": "off", "adobe:retryBaseDelayMs": "5", "adobe:retryMaxDelayMs": "20", ...overrides };
  return runProgram(program(declared), { kind: "up", project: "bench", stack: "test", config, secretKeys: ["adobe:clientSecret"], state });
}

async function failedUp(declared: Declared, state: EngineState, overrides: Record<string, string> = {}): Promise<EngineRunError> {
  const error = await up(declared, state, overrides).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineRunError);
  return error as EngineRunError;
}

/** The data views Adobe holds, by id → name. */
async function liveDataViews(): Promise<Record<string, string>> {
  const res = await emu.call<{ content: Array<{ id: string; name: string }> }>("GET", "/data/dataviews", { query: { expansion: "name", limit: "100" } });
  return Object.fromEntries(res.body.content.map((dv) => [dv.id, dv.name]));
}

const summary = (state: EngineState) => state.resources.map((r) => `${r.name}${r.pendingDelete ? " (pending delete)" : ""} ${r.id}`).sort();

beforeAll(async () => {
  emu = await startTestEmulator();
});

// Every test starts from an empty org: the data views' keys are the same in every test (one stack).
beforeEach(async () => {
  await emu.reset();
  const admin = new EmulatorAdmin(emu.url);
  for (const [id, name] of [
    [CONNECTION_1, "First"],
    [CONNECTION_2, "Second"],
  ]) {
    await admin.call("PUT", `${EmulatorAdmin.org(TEST_ORG)}/connections/${id}`, { name, dataSets: [] });
  }
});

afterAll(async () => {
  await emu?.close();
});

afterEach(async () => {
  await emu.setFaults({});
});

describe("a replace in a run that fails afterwards", () => {
  it("deletes the old data view first (its replacement carries the same key), keeps only the new one in the state, and the next up finishes", async () => {
    const first = await up({ connectionA: CONNECTION_1, nameB: "B" });
    const oldA = first.outputs.a as string;
    const b = first.outputs.b as string;

    // a moves to another connection (a replace); then b's update is refused.
    await emu.setFaults({ script: [{ match: { method: "PUT", route: "/data/dataviews/:dataViewId" }, times: 1, action: { status: 400 } }] });
    const failed = await failedUp({ connectionA: CONNECTION_2, nameB: "B2" }, first.state);
    const newA = failed.state.resources.find((r) => r.name === "a")!.id;

    expect(failed.failures.map((f) => f.urn)).toEqual([first.state.resources.find((r) => r.name === "b")!.urn]);
    expect(newA).not.toBe(oldA);
    expect(summary(failed.state)).toEqual([`a ${newA}`, `b ${b}`]);
    expect(await liveDataViews()).toEqual({ [newA]: "A", [b]: "B" });

    await emu.setFaults({});
    const repaired = await up({ connectionA: CONNECTION_2, nameB: "B2" }, failed.state);

    expect(repaired.steps.map((s) => `${s.op} ${s.name}`)).toEqual(["same a", "update b"]);
    expect(summary(repaired.state)).toEqual([`a ${newA}`, `b ${b}`]);
    expect(await liveDataViews()).toEqual({ [newA]: "A", [b]: "B2" });
  });
});

describe("a delete that fails", () => {
  it("keeps the object in the state, and the next up deletes it", async () => {
    const before = await up({ connectionA: CONNECTION_1, nameB: "B" });
    const b = before.outputs.b as string;

    await emu.setFaults({ script: [{ match: { method: "DELETE", route: "/data/dataviews/:dataViewId" }, times: 1, action: { status: 503 } }] });
    const failed = await failedUp({ connectionA: CONNECTION_1 }, before.state, { "adobe:maxRetries": "0" });

    expect(failed.message).toMatch(/failed to delete/);
    expect(summary(failed.state)).toEqual(summary(before.state));
    expect(Object.keys(await liveDataViews())).toContain(b);

    await emu.setFaults({});
    const repaired = await up({ connectionA: CONNECTION_1 }, failed.state);

    expect(repaired.steps.map((s) => `${s.op} ${s.name}`)).toEqual(["same a", "delete b"]);
    expect(repaired.state.resources.map((r) => r.name)).toEqual(["a"]);
    expect(Object.keys(await liveDataViews())).not.toContain(b);
  });
});

describe("a keyed resource declared with deleteBeforeReplace: false", () => {
  it("is refused before anything is sent, naming the option and why", async () => {
    await emu.clearRequests();
    const run = runProgram(
      () => {
        new DataView("a", { name: "A", connectionId: CONNECTION_1, timezone: "US/Mountain" }, { deleteBeforeReplace: false });
      },
      { kind: "up", project: "bench", stack: "test", config: { ...emu.config(), "adobe:cjaRateLimit": "off" } },
    );
    const error = await run.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain("DataView a: deleteBeforeReplace cannot be false. Its replacement carries the same ownership key, so it must be made after the old one is deleted.");
    expect((await emu.requests()).log).toEqual([]);
  });
});
