/**
 * What the real-CLI tests share: an emulator over real HTTP (the test helper's, Adobe's specs on),
 * workspaces for the repository's programs, and the emulator's request counters read as writes
 * and reads.
 */
import { TEST_ORG } from "../tests/helpers/emulator";
import { PulumiWorkspace, type ProgramSource, type WorkspaceOptions } from "../cli/workspace";
import type { StepSummary } from "../cli/events";
import type { TestEmulator } from "../tests/helpers/emulator";

export { startTestEmulator, TEST_ORG, TEST_CLIENT_SECRET, TEST_SANDBOX } from "../tests/helpers/emulator";
export type { TestEmulator } from "../tests/helpers/emulator";

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The emulator's requests since the last clear, IMS left out, as `"METHOD route": count`. */
export async function adobeRequests(emu: TestEmulator): Promise<Record<string, number>> {
  const { counters } = await emu.requests();
  const counts: Record<string, number> = {};
  for (const c of counters) {
    if (c.route.startsWith("/ims/")) continue;
    const key = `${c.method} ${c.route}`;
    counts[key] = (counts[key] ?? 0) + c.count;
  }
  return counts;
}

/** Only the writes among {@link adobeRequests} (a search, sent as a POST, is a read). */
export async function adobeWrites(emu: TestEmulator): Promise<Record<string, number>> {
  return Object.fromEntries(Object.entries(await adobeRequests(emu)).filter(([key]) => WRITES.has(key.split(" ")[0]) && !key.endsWith("/search")));
}

/** A workspace whose stack points at the emulator: its settings as config, the client secret as a secret. */
export async function emulatorWorkspace(emu: TestEmulator, program: ProgramSource, config: Record<string, string>, opts: Omit<WorkspaceOptions, "program"> = {}): Promise<PulumiWorkspace> {
  const ws = await PulumiWorkspace.create({ program, ...opts });
  const { "adobe:clientSecret": secret, ...plain } = emu.config();
  await ws.setConfig({ ...plain, ...config }, { "adobe:clientSecret": secret });
  return ws;
}

/** The steps of the program's own resources (the stack and the default provider left out), `name: op`. */
export function opsByName(steps: StepSummary[]): Record<string, string> {
  return Object.fromEntries(steps.filter((s) => s.type.startsWith("pulumi-nodejs:dynamic/")).map((s) => [s.name, s.op]));
}

/** How many of the program's resources had each op. */
export function opCounts(steps: StepSummary[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of steps) if (s.type.startsWith("pulumi-nodejs:dynamic/")) counts[s.op] = (counts[s.op] ?? 0) + 1;
  return counts;
}

/** Replaces `from` (which must occur) in a file of the workspace's program. */
export function editProgram(ws: PulumiWorkspace, file: string, from: string | RegExp, to: string): void {
  const text = ws.readFile(file);
  const edited = text.replace(from, to);
  if (edited === text) throw new Error(`${file}: ${String(from)} not found`);
  ws.writeFile(file, edited);
}

/** Adobe's public API as Analysis Workspace calls it, with the UI's own token (what a person makes in the UI). */
export async function asTheUi(emu: TestEmulator, method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await emu.call<Record<string, unknown>>(method, path, { ...(await emu.asTheUi()), body });
  if (res.status !== 200) throw new Error(`${method} ${path} as the UI answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}
