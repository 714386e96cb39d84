/**
 * The in-process engine's `refresh`: every resource of the state read through its real serialized
 * provider against the emulator, the state replaced by what Adobe holds, gone objects dropped.
 */
import { EngineRunError, runProgram, type EngineState, type RunOptions, type RunResult } from "../../bench/in-process-engine";
import { componentStack, seedComponentTemplate, type ComponentSetup } from "../../bench/component-stack";
import { EmulatorAdmin } from "../../bench/emulator-admin";
import { startTestEmulator, TEST_ORG, type TestEmulator } from "../helpers/emulator";

let emu: TestEmulator;
let setup: ComponentSetup;
let deployed: RunResult;

const program = () => componentStack(setup, "Refresh test");

function run(kind: RunOptions["kind"], state?: EngineState, overrides: Record<string, string> = {}): Promise<RunResult> {
  const config = { ...emu.config(), "adobe:cjaRateLimit": "off", "adobe:retryBaseDelayMs": "5", "adobe:retryMaxDelayMs": "20", ...overrides };
  return runProgram(program, { kind, project: "bench", stack: "test", config, secretKeys: ["adobe:clientSecret"], state });
}

async function cjaRequests(): Promise<Record<string, number>> {
  const { counters } = await emu.requests();
  return Object.fromEntries(counters.filter((c) => !c.route.includes("/ims/")).map((c) => [`${c.method} ${c.route} ${c.status}`, c.count]));
}

const opsByName = (result: RunResult) => Object.fromEntries(result.steps.map((s) => [s.name, s.op]));
const resourceNamed = (state: EngineState, name: string) => state.resources.find((r) => r.name === name)!;

beforeAll(async () => {
  emu = await startTestEmulator();
  setup = await seedComponentTemplate(new EmulatorAdmin(emu.url), TEST_ORG, 4);
  deployed = await run("up");
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(async () => {
  await emu.clearRequests();
});

describe("refresh of an unchanged stack", () => {
  it("reads the data view once and each component kind once, and keeps the state as it was", async () => {
    const refreshed = await run("refresh", deployed.state);

    expect(opsByName(refreshed)).toEqual({ bench: "same", "dim-0001": "same", "dim-0002": "same", "met-0001": "same", "met-0002": "same" });
    expect(await cjaRequests()).toEqual({
      "GET /data/dataviews 200": 1, // the connection's data views
      "GET /data/dataviews/:dataviewId/dimensions 200": 1,
      "GET /data/dataviews/:dataviewId/metrics 200": 1,
    });
    expect(refreshed.state).toEqual(deployed.state);
  });

  it("writes nothing and does not run the program", async () => {
    let ran = false;
    await runProgram(
      () => {
        ran = true;
      },
      { kind: "refresh", project: "bench", stack: "test", config: { ...emu.config(), "adobe:cjaRateLimit": "off" }, state: deployed.state },
    );
    expect(ran).toBe(false);
    expect(Object.keys(await cjaRequests()).filter((k) => !k.startsWith("GET "))).toEqual([]);
  });
});

describe("refresh after a change made in the Adobe UI", () => {
  it("takes the live value into the state; the next preview's read of the component stops on it, naming the setting", async () => {
    const dataViewId = deployed.outputs.dataViewId as string;
    const componentId = encodeURIComponent(setup.dimensions[0].id);
    await emu.admin("PATCH", `/orgs/${encodeURIComponent(TEST_ORG)}/dataviews/${dataViewId}/dimensions/${componentId}`, { name: "Renamed in the UI" });

    const refreshed = await run("refresh", deployed.state);
    const dim = resourceNamed(refreshed.state, "dim-0001");

    expect(opsByName(refreshed)).toMatchObject({ bench: "same", "dim-0001": "update", "dim-0002": "same" });
    expect(dim.outputs.name).toBe("Renamed in the UI");
    expect(typeof dim.outputs.__provider).toBe("string");

    const preview = await run("preview", refreshed.state).then(() => undefined, (e: unknown) => e as EngineRunError);
    expect(preview).toBeInstanceOf(EngineRunError);
    expect(preview!.failures.map((f) => f.urn.split("::").pop())).toEqual(["dim-0001"]);
    expect(preview!.failures[0].error.message).toContain('name: declared "Bench dimension 1", live "Renamed in the UI"');
    await emu.admin("PATCH", `/orgs/${encodeURIComponent(TEST_ORG)}/dataviews/${dataViewId}/dimensions/${componentId}`, { name: setup.dimensions[0].name });
  });
});

describe("refresh that fails", () => {
  it("throws with the resource that failed and keeps its old state; the others are refreshed", async () => {
    // Both ways the data view is read: the connection's data views, then by id.
    await emu.setFaults({
      script: [
        { match: { method: "GET", route: "/data/dataviews" }, times: 5, action: { status: 500 } },
        { match: { method: "GET", route: "/data/dataviews/:dataViewId" }, times: 5, action: { status: 500 } },
      ],
    });
    const error = await run("refresh", deployed.state, { "adobe:maxRetries": "0" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await emu.setFaults({});

    expect(error).toBeInstanceOf(EngineRunError);
    const failed = error as EngineRunError;
    expect(failed.failures.map((f) => f.urn)).toEqual([resourceNamed(deployed.state, "bench").urn]);
    expect(failed.failures[0].error.message).toMatch(/500/);
    expect(failed.state.resources.map((r) => r.name)).toEqual(deployed.state.resources.map((r) => r.name));
    expect(resourceNamed(failed.state, "bench")).toEqual(resourceNamed(deployed.state, "bench"));
  });
});

describe("refresh after the data view was deleted", () => {
  it("drops the data view and its components from the state", async () => {
    const deleted = await emu.call("DELETE", `/data/dataviews/${deployed.outputs.dataViewId as string}`);
    expect(deleted.status).toBe(200);

    const refreshed = await run("refresh", deployed.state);

    expect(new Set(Object.values(opsByName(refreshed)))).toEqual(new Set(["delete"]));
    expect(refreshed.steps).toHaveLength(5);
    expect(refreshed.state.resources).toEqual([]);
  });
});
