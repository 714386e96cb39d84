/**
 * `npm run record:release`: records what this release leaves behind, for the next release's
 * tests to refresh and destroy (the serialized provider in a state is what runs for those). Both
 * examples are deployed with the real CLI against a new emulator; the stack exports and the
 * emulator's state are written to `e2e/fixtures/release-<version>/`.
 *
 * The emulator's address in the exports is replaced by {@link EMULATOR_URL_PLACEHOLDER}: refresh
 * and destroy use the provider configuration stored in the state, so a test puts its own
 * emulator's address there before `pulumi stack import`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { startEmulator } from "../emulator/server";
import { prepareStack, type ProgramName } from "./example-stacks";
import { REPO_ROOT } from "./toolchain";
import { PulumiWorkspace } from "./workspace";

export const EMULATOR_URL_PLACEHOLDER = "http://emulator.invalid:1";
export const RELEASE_ORG = "RELEASE00000000000000000@AdobeOrg";
export const RELEASE_PROGRAMS: ProgramName[] = ["ajo-cja", "audiences-cja"];
/** The credentials the recorded state's provider configuration holds (the emulator's defaults). */
export const RELEASE_CREDENTIALS = { clientId: "emulator-client-id", clientSecret: "emulator-client-secret" };

/** What `release.json` in a fixture folder says. */
export interface ReleaseFixture {
  version: string;
  pulumi: string;
  node: string;
  programs: ProgramName[];
  /** Per program, the resources the stack holds, by type. */
  resources: Record<string, Record<string, number>>;
}

async function main(): Promise<void> {
  const version = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
  const out = path.join(REPO_ROOT, "e2e", "fixtures", `release-${version}`);
  mkdirSync(out, { recursive: true });
  const emulator = await startEmulator({ ...RELEASE_CREDENTIALS, credentialOrgs: [RELEASE_ORG], rateLimit: null, exportJobTimings: { newMs: 200, processingMs: 400 }, queryDurationMs: 300 });
  const fixture: Partial<ReleaseFixture> = { version, programs: RELEASE_PROGRAMS, resources: {} };
  try {
    for (const name of RELEASE_PROGRAMS) {
      const prepared = await prepareStack(name, emulator.url, RELEASE_ORG);
      const ws = await PulumiWorkspace.create({ program: prepared.program, stack: "release" });
      try {
        await ws.setConfig(
          {
            "adobe:clientId": emulator.options.clientId,
            "adobe:orgId": RELEASE_ORG,
            "adobe:imsEndpoint": emulator.url,
            "adobe:cjaEndpoint": emulator.url,
            "adobe:platformEndpoint": emulator.url,
            ...prepared.config,
            // Declared without a default by release 0.1.0's Pulumi.yaml, which the CLI then requires.
            ...(name === "audiences-cja" ? { "audiences-cja:extraExportFields": "[]" } : {}),
          },
          { "adobe:clientSecret": emulator.options.clientSecret },
        );
        const up = await ws.up();
        console.log(`${name}: pulumi up ${JSON.stringify(up.changes)} in ${up.ms} ms`);
        const exported = JSON.stringify(await ws.exportState(), null, 2).split(emulator.url).join(EMULATOR_URL_PLACEHOLDER);
        writeFileSync(path.join(out, `${name}.stack.json`), exported + "\n");
        const counts: Record<string, number> = {};
        for (const r of (JSON.parse(exported) as { deployment: { resources: Array<{ type: string }> } }).deployment.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
        fixture.resources![name] = counts;
        fixture.pulumi = ws.tools.pulumiVersion;
        fixture.node = ws.tools.nodeVersion;
      } finally {
        ws.dispose();
      }
    }
    const state = await (await fetch(`${emulator.url}/_emulator/state`)).json();
    writeFileSync(path.join(out, "emulator-state.json"), JSON.stringify(state, null, 2) + "\n");
    writeFileSync(path.join(out, "release.json"), JSON.stringify(fixture, null, 2) + "\n");
    console.log(`Recorded ${path.relative(REPO_ROOT, out)}`);
  } finally {
    await emulator.close();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
