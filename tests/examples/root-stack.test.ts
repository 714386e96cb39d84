/**
 * The repository root's Pulumi project (Pulumi.yaml, deploy/): `pulumi up` there deploys both
 * integrations for the stack's environment, from Pulumi.<stack>.yaml.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { runProgram, type EngineState, type RunOptions } from "../../bench/in-process-engine";
import { bothIntegrations } from "../../deploy/both-integrations";
import { setUpAjoInEmulator } from "../../examples/ajo-cja/ui-setup";
import { setUpAudiencesExample } from "../../examples/audiences-cja/emulator-setup";
import { startTestEmulator, TEST_ORG, type TestEmulator } from "../helpers/emulator";

const ROOT = path.resolve(__dirname, "..", "..");
const STACKS = ["dev", "stage", "prod"];

function stackFile(stack: string): Record<string, unknown> {
  return (parseYaml(readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> }).config;
}

/** Stack config as the CLI hands it to the program: lists as JSON, secrets decrypted. */
function asConfig(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

describe("the root project's stack files", () => {
  it("is a nodejs project whose program is deploy/index.ts", () => {
    expect(parseYaml(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"))).toMatchObject({ name: "adobe-cja", main: "deploy/index.ts", runtime: { name: "nodejs" } });
  });

  it.each(STACKS)("%s: its own org and sandbox, the client secret encrypted, and every setting both integrations need", (stack) => {
    const config = stackFile(stack);
    expect(config["adobe:clientSecret"]).toEqual({ secure: expect.any(String) });
    for (const key of ["adobe:orgId", "adobe:clientId", "adobe:sandbox", "ajo-cja:templateDataViewId", "ajo-cja:dataViewName", "audiences-cja:exportDatasetName", "audiences-cja:personIdField", "audiences-cja:profileDatasetName", "audiences-cja:templateDataViewId", "audiences-cja:dataViewName"]) {
      expect({ key, value: typeof config[key] }).toEqual({ key, value: "string" });
    }
    expect(Array.isArray(config["audiences-cja:audienceNames"])).toBe(true);
    const others = STACKS.filter((s) => s !== stack).map(stackFile);
    for (const other of others) expect(other["adobe:orgId"]).not.toBe(config["adobe:orgId"]);
  });
});

describe("pulumi up at the root, with the dev stack's config pointed at the emulator", () => {
  let emu: TestEmulator;
  let config: Record<string, string>;

  const run = (kind: RunOptions["kind"], state?: EngineState) =>
    runProgram(bothIntegrations, { kind, project: "adobe-cja", stack: "dev", config, secretKeys: ["adobe:clientSecret"], state });

  beforeAll(async () => {
    emu = await startTestEmulator({ exportJobTimings: { newMs: 20, processingMs: 40 }, queryDurationMs: 30 });
    const ajo = await setUpAjoInEmulator(emu, TEST_ORG);
    const audiences = await setUpAudiencesExample(emu.url, TEST_ORG);
    const { "adobe:clientSecret": _secret, ...dev } = stackFile("dev");
    config = {
      ...asConfig(dev),
      ...audiences.config,
      ...emu.config(),
      "adobe:orgId": TEST_ORG,
      "adobe:sandbox": "prod",
      "ajo-cja:connectionName": ajo.connectionName,
      "ajo-cja:templateDataViewId": ajo.templateDataViewId,
    };
  });

  afterAll(() => emu.close());

  it("creates both integrations, then a second run changes nothing and writes nothing", async () => {
    const first = await run("up");
    const types = first.steps.map((s) => s.type.split("/").pop());
    const lookup = (type: string) => /cja:(Connection|Dimension|Metric)$/.test(type);
    expect(first.steps.every((s) => s.op === (lookup(s.type) ? "read" : "create"))).toBe(true);
    expect(types.filter((t) => t === "cja:DataView")).toHaveLength(2);
    expect(types.filter((t) => t === "cja:CalculatedMetric")).toHaveLength(3);
    expect(types.filter((t) => t === "cja:Filter")).toHaveLength(1);
    expect(types.filter((t) => t === "aep:AudienceExportJob")).toHaveLength(1);
    expect(types.filter((t) => t === "aep:AudienceMembershipTransform")).toHaveLength(1);
    expect(Object.keys(first.outputs).sort()).toEqual(["ajoCja", "audiencesCja"]);

    await emu.clearRequests();
    const again = await run("up", first.state);
    expect(again.steps.every((s) => s.op === (lookup(s.type) ? "read" : "same"))).toBe(true);
    const { log } = await emu.requests();
    expect(log.filter((r) => r.method !== "GET" && r.route !== "/ims/token/v3")).toEqual([]);
  }, 60_000);
});
