/**
 * docs/EMULATOR.md's way to try an example by hand: `npm run emulator -- --setup <example>`
 * prints `pulumi config set` lines; pasted into a shell in the example's folder, they are all a
 * stack needs for `pulumi up`. Here the emulator runs as its own process (`node
 * dist/emulator/main.js`), every printed line runs through bash as written, then the real CLI.
 */
import { spawn, execFileSync, type ChildProcess } from "child_process";
import * as path from "path";
import { REPO_ROOT } from "../cli/toolchain";
import { PROGRAMS, PulumiWorkspace } from "../cli/workspace";
import { opCounts } from "./support";

/** Starts the emulator CLI and resolves with everything it printed once the setup hints are out. */
function startEmulatorCli(args: string[]): Promise<{ child: ChildProcess; printed: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "dist", "emulator", "main.js"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let printed = "";
    const timer = setTimeout(() => reject(new Error(`the emulator printed no setup hints in 60 s:\n${printed}`)), 60_000);
    child.stdout!.on("data", (d: Buffer) => {
      printed += d.toString();
      if (/Point the example stack[^\n]*\n(?:  pulumi config set[^\n]*\n)+/.test(printed)) {
        clearTimeout(timer);
        resolve({ child, printed });
      }
    });
    child.stderr!.on("data", (d: Buffer) => (printed += d.toString()));
    child.on("exit", (code) => reject(new Error(`the emulator exited ${code}:\n${printed}`)));
  });
}

describe.each(["ajo-cja", "audiences-cja"] as const)("npm run emulator -- --setup %s, then the printed lines", (example) => {
  let emulator: ChildProcess;
  let printed: string;
  let ws: PulumiWorkspace;

  beforeAll(async () => {
    ({ child: emulator, printed } = await startEmulatorCli(["--port", "0", "--no-rate-limit", "--export-job-ms", "200/400", "--query-ms", "300", "--setup", example]));
    ws = await PulumiWorkspace.create({ program: PROGRAMS[example] });
  });

  afterAll(() => {
    ws?.dispose();
    emulator?.kill("SIGTERM");
  });

  it("prints a `pulumi config set` line for every setting the stack needs, and they run as written", () => {
    const lines = printed.split("\n").filter((l) => /^\s+pulumi config set /.test(l)).map((l) => l.trim());
    expect(lines.length).toBeGreaterThan(7);
    for (const line of lines) execFileSync("bash", ["-c", line], { cwd: ws.dir, env: ws.env, stdio: "pipe" });
    expect(ws.stackFile()).toMatch(/adobe:clientSecret:\s+secure: v1:/);
  });

  it("pulumi up then creates the stack and a preview after it changes nothing", async () => {
    const up = await ws.up();
    expect(Object.keys(opCounts(up.steps))).toEqual(["create"]);
    const preview = await ws.preview();
    expect(Object.keys(opCounts(preview.steps))).toEqual(["same"]);
    await ws.destroy();
  });
});
