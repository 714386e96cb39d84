/**
 * Two sandboxes in one program through the real CLI (e2e/programs/sandboxes): the `development`
 * profile set with `pulumi config set --path`, its client secret with `--secret --path`, and a
 * field group in each sandbox. The secret stays encrypted in the stack file and the state, and
 * reaches the provider decrypted: the profile's resources are made with it.
 */
import { diagnostics } from "../cli/events";
import type { ProgramSource, PulumiWorkspace } from "../cli/workspace";
import { adobeWrites, emulatorWorkspace, opCounts, startTestEmulator, TEST_CLIENT_SECRET, TEST_ORG, type TestEmulator } from "./support";

const PROGRAM: ProgramSource = {
  project: "sandboxes",
  files: ["Pulumi.yaml", "package.json", "index.ts", "tsconfig.json"].map((f): [string, string] => [`e2e/programs/sandboxes/${f}`, f]),
};
const REGISTRY = "/data/foundation/schemaregistry";

let emu: TestEmulator;
let ws: PulumiWorkspace;

/** The ids of the field groups a sandbox holds, by title. */
async function fieldGroups(sandbox: string): Promise<Record<string, string>> {
  const res = await emu.call<{ results: Array<{ $id: string; title: string }> }>("GET", `${REGISTRY}/tenant/fieldgroups`, {
    headers: { accept: "application/vnd.adobe.xed-id+json", "x-sandbox-name": sandbox },
  });
  return Object.fromEntries(res.body.results.map((r) => [r.title, r.$id]));
}

beforeAll(async () => {
  emu = await startTestEmulator({ credentialOrgs: [TEST_ORG] });
  ws = await emulatorWorkspace(emu, PROGRAM, { "adobe:sandbox": "prod" });
  await ws.cli(["config", "set", "--path", "adobe:profiles.development.sandbox", "dev"]);
  await ws.cli(["config", "set", "--secret", "--path", "adobe:profiles.development.clientSecret", TEST_CLIENT_SECRET]);
});

afterAll(async () => {
  ws?.dispose();
  await emu?.close();
});

describe("one program, two sandboxes", () => {
  it("the profile's client secret is encrypted in the stack file", () => {
    const file = ws.stackFile();
    expect(file).not.toContain(TEST_CLIENT_SECRET);
    expect(file).toMatch(/development:\s+sandbox: dev\s+clientSecret:\s+secure: v1:/);
  });

  it("a preview plans one field group per sandbox and writes nothing", async () => {
    await emu.clearRequests();
    expect(opCounts((await ws.preview()).steps)).toEqual({ create: 2 });
    expect(await adobeWrites(emu)).toEqual({});
  });

  it("up makes each field group in its sandbox, and a preview after it changes nothing", async () => {
    await ws.up();
    const outputs = await ws.outputs();
    expect(await fieldGroups("prod")).toEqual({ "Loyalty fields": outputs.productionFieldGroupId });
    expect(await fieldGroups("dev")).toEqual({ "Loyalty fields": outputs.developmentFieldGroupId });
    expect(outputs.developmentProfile).toBe("development");
    expect(opCounts((await ws.preview()).steps)).toEqual({ same: 2 });
  });

  it("the state holds the profile's name, never its secret", async () => {
    const text = JSON.stringify(await ws.exportState());
    expect(text).not.toContain(TEST_CLIENT_SECRET);
    expect(text).toContain('"profile":"development"');
  });

  it("a profile removed from the config stops the preview, naming profile", async () => {
    await ws.cli(["config", "rm", "--path", "adobe:profiles.development"]);
    const preview = await ws.operation("preview", [], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(diagnostics(preview.events, ["error"]).join("\n")).toContain('no profile "development" in adobe:profiles');
    await ws.cli(["config", "set", "--path", "adobe:profiles.development.sandbox", "dev"]);
    await ws.cli(["config", "set", "--secret", "--path", "adobe:profiles.development.clientSecret", TEST_CLIENT_SECRET]);
  });

  it("destroy deletes each field group from its own sandbox", async () => {
    expect(opCounts((await ws.destroy()).steps)).toEqual({ delete: 2 });
    expect(await fieldGroups("prod")).toEqual({});
    expect(await fieldGroups("dev")).toEqual({});
  });
});
