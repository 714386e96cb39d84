/**
 * Wrong inputs and settings, as a user meets them in `pulumi preview` with the real CLI: the
 * message names the input or the `adobe:*` setting and the id that is wrong, and nothing is
 * written to Adobe. The emulator's credential belongs to one org, as an Adobe credential does.
 */
import { diagnostics } from "../cli/events";
import { prepareStack, type PreparedStack } from "../cli/example-stacks";
import type { PulumiWorkspace } from "../cli/workspace";
import { adobeWrites, emulatorWorkspace, startTestEmulator, TEST_ORG, type TestEmulator } from "./support";

let emu: TestEmulator;
let ws: PulumiWorkspace;
let prepared: PreparedStack;

beforeAll(async () => {
  emu = await startTestEmulator({ credentialOrgs: [TEST_ORG] });
  prepared = await prepareStack("ajo-cja", emu.url, TEST_ORG);
  ws = await emulatorWorkspace(emu, prepared.program, prepared.config);
});

afterAll(async () => {
  ws?.dispose();
  await emu?.close();
});

beforeEach(() => emu.clearRequests());

/** A preview that must fail: its error diagnostics, one text. */
async function failedPreview(): Promise<string> {
  const preview = await ws.operation("preview", [], { allowFailure: true });
  expect(preview.code).not.toBe(0);
  return diagnostics(preview.events, ["error"]).join("\n");
}

it("an org the credential does not belong to: the preview says to check adobe:orgId, with the org and the client id", async () => {
  const wrong = "WRONGORG000000000000000@AdobeOrg";
  await ws.setConfig({ "adobe:orgId": wrong });
  try {
    const errors = await failedPreview();
    expect(errors).toContain("403 403025: Profile is not valid");
    expect(errors).toContain(`Check adobe:orgId (${wrong}): the credential adobe:clientId (${emu.options.clientId}) does not belong to this IMS org`);
  } finally {
    await ws.setConfig({ "adobe:orgId": TEST_ORG });
  }
  expect(await adobeWrites(emu)).toEqual({});
});

it("a template data view that does not exist: the preview names copyFrom and the id", async () => {
  await ws.setConfig({ "ajo-cja:templateDataViewId": "dv_00000000000000000000dead" });
  try {
    expect(await failedPreview()).toMatch(
      new RegExp(`property copyFrom value \\S+ has a problem: no data view dv_00000000000000000000dead in IMS org ${TEST_ORG} that this credential can see`),
    );
  } finally {
    await ws.setConfig({ "ajo-cja:templateDataViewId": prepared.config["ajo-cja:templateDataViewId"] });
  }
  expect(await adobeWrites(emu)).toEqual({});
});

it("a metric a formula uses, missing from the template: the preview names requiredComponents and the id, before anything is copied", async () => {
  const template = prepared.config["ajo-cja:templateDataViewId"];
  await emu.admin("DELETE", `/orgs/${encodeURIComponent(TEST_ORG)}/dataviews/${template}/metrics/sends`);
  expect(await failedPreview()).toMatch(new RegExp(`property requiredComponents value .* has a problem: the template ${template} \\(".*"\\) has no metrics/sends\\. In the Data View Manager, add them`));
  const up = await ws.operation("up", [], { allowFailure: true });
  expect(up.code).not.toBe(0);
  expect(diagnostics(up.events, ["error"]).join("\n")).toContain("has no metrics/sends");
  expect(await adobeWrites(emu)).toEqual({});
});
