/**
 * How the soak reads a real-CLI run (bench/soak/engines.ts): the errors of `pulumi up --json`'s
 * events, and the checkpoint of `pulumi stack export` as the checks see it. The real CLI itself
 * runs in `npm run soak`, not here.
 */
import type { EngineEvent } from "../../cli/events";
import type { Deployment } from "../../cli/workspace";
import { leftPending } from "../../bench/soak/emulator-view";
import { cliErrors, stateOfDeployment } from "../../bench/soak/engines";
import { failedRequest } from "../../bench/soak/error-kinds";

const DATA_VIEW = "urn:pulumi:soak::audiences-cja::pulumi-nodejs:dynamic/cja:DataView::audiences";

describe("the errors of a failed pulumi up", () => {
  // As pulumi v3.274.1 streamed them for a refresh whose read gave up.
  const events: EngineEvent[] = [
    { diagnosticEvent: { message: "AudienceExportJob: export job 1 NEW (0 s elapsed)\n\n", severity: "info#err" } },
    {
      diagnosticEvent: {
        urn: DATA_VIEW,
        message: "CJA GET /data/dataviews/dv_6d348fb5a8b7352814458a25 failed: 429 429050: Too many requests (request id bd85); gave up after 6 attempts (maxRetries 5)\n",
        severity: "error",
      },
    },
    { diagnosticEvent: { message: "update failed\n", severity: "error" } },
    { diagnosticEvent: { message: "AdobeApiError: CJA GET ... failed\n\n", severity: "info#err" } },
  ];

  it("names each failed resource by its URN, and leaves out the closing 'update failed' and the provider's stderr", () => {
    expect(cliErrors(events)).toEqual([`${DATA_VIEW}: CJA GET /data/dataviews/dv_6d348fb5a8b7352814458a25 failed: 429 429050: Too many requests (request id bd85); gave up after 6 attempts (maxRetries 5)`]);
  });

  it("groups errors by the request that gave up, its ids left out", () => {
    expect(failedRequest(cliErrors(events)[0])).toBe("CJA GET /data/dataviews/{id}");
    expect(failedRequest("x: CJA DELETE /calculatedmetrics/cma26b018eb66d49bd19b0b1de failed: 429")).toBe("CJA DELETE /calculatedmetrics/{id}");
    expect(failedRequest("x: AEP GET /data/core/ups/export/jobs/21 failed: 502")).toBe("AEP GET /data/core/ups/export/jobs/{id}");
    expect(failedRequest("x: AudienceExportJob: export job 9 FAILED: 0100-500")).toBeUndefined();
  });

  it("keeps an error that names no resource as it is (the soak counts it as unclear)", () => {
    const config: EngineEvent[] = [{ diagnosticEvent: { message: "validating stack config: Stack 'soak' with configuration key 'pollIntervalSeconds' must be of type 'integer'\n", severity: "error" } }];
    expect(cliErrors(config)).toEqual(["validating stack config: Stack 'soak' with configuration key 'pollIntervalSeconds' must be of type 'integer'"]);
  });
});

describe("the checkpoint as the checks read it", () => {
  const deployment: Deployment = {
    version: 3,
    deployment: {
      resources: [
        { urn: "urn:pulumi:soak::ajo-cja::pulumi:pulumi:Stack::ajo-cja-soak", type: "pulumi:pulumi:Stack" },
        { urn: DATA_VIEW, type: "pulumi-nodejs:dynamic/cja:DataView", id: "dv_new", outputs: { externalId: "x" } },
        { urn: DATA_VIEW, type: "pulumi-nodejs:dynamic/cja:DataView", id: "dv_old", outputs: {}, delete: true },
      ],
      pending_operations: [{ resource: { urn: DATA_VIEW, type: "pulumi-nodejs:dynamic/cja:DataView" }, type: "creating" }],
    },
  };

  it("marks a replaced object the engine has not deleted yet as pending deletion, and lists pending operations", () => {
    const state = stateOfDeployment(deployment);
    expect(state.resources.map((r) => [r.id, r.pendingDelete ?? false])).toEqual([
      ["", false],
      ["dv_new", false],
      ["dv_old", true],
    ]);
    expect(state.pendingOperations).toEqual([`creating ${DATA_VIEW}`]);
  });

  it("after a successful run, both are a difference from what the stack declares", () => {
    expect(leftPending(stateOfDeployment(deployment)).map((p) => p.detail)).toEqual([
      "the state still holds objects pending deletion: dv_old",
      `the state holds pending operations: creating ${DATA_VIEW}`,
    ]);
    expect(leftPending({ resources: [] })).toEqual([]);
  });
});
