/**
 * The emulator's command line: argument parsing, the setup hints it prints (checked by using
 * them against the running emulator), and a clean stop on SIGINT with the state file written.
 */
import { spawn } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import * as ts from "typescript";
import { DEFAULT_ORG, parseCli, runCli } from "../../emulator/main";
import { testSpecDir } from "../helpers/emulator";

const repoRoot = path.resolve(__dirname, "..", "..");

describe("parseCli", () => {
  it("defaults to port 8787, Adobe's 12 requests per 6 s and the emulator org", () => {
    const { options, org, help } = parseCli([]);
    expect(help).toBe(false);
    expect(org).toBe(DEFAULT_ORG);
    expect(options.port).toBe(8787);
    expect(options.rateLimit).toEqual({ requests: 12, intervalMs: 6000 });
    expect(options.faults).toEqual({});
    expect(options.credentialOrgs).toEqual([DEFAULT_ORG]);
    expect(parseCli(["--any-org"]).options.credentialOrgs).toBeNull();
  });

  it("reads every option", () => {
    const { options, org } = parseCli([
      "--port", "0", "--host", "::1", "--state", "s.json", "--rate-limit", "5/300", "--latency", "20", "--rate-429", "0.1",
      "--rate-5xx", "0.2", "--drop", "0.05", "--retry-after", "2", "--seed", "7", "--token-lifetime", "60", "--client-id", "id",
      "--client-secret", "secret", "--org", "ORG@AdobeOrg", "--spec-dir", "specs", "--export-job-ms", "10/20", "--query-ms", "30",
    ]);
    expect(org).toBe("ORG@AdobeOrg");
    expect(options).toEqual({
      port: 0,
      host: "::1",
      stateFile: "s.json",
      rateLimit: { requests: 5, intervalMs: 300 },
      faults: { latencyMs: 20, rate429: 0.1, rate5xx: 0.2, dropRate: 0.05, retryAfterSeconds: 2, seed: 7 },
      tokenLifetimeSeconds: 60,
      clientId: "id",
      clientSecret: "secret",
      credentialOrgs: ["ORG@AdobeOrg"],
      specDir: "specs",
      exportJobTimings: { newMs: 10, processingMs: 20 },
      queryDurationMs: 30,
    });
    expect(parseCli(["--no-rate-limit"]).options.rateLimit).toBeNull();
    expect(parseCli(["--help"]).help).toBe(true);
  });

  it("refuses bad values with a message and the usage", () => {
    expect(() => parseCli(["--rate-limit", "12 per 6s"])).toThrow(/--rate-limit must look like <n>\/<ms>[\s\S]*Usage:/);
    expect(() => parseCli(["--rate-429", "1.5"])).toThrow(/between 0 and 1/);
    expect(() => parseCli(["--rate-429", "0.6", "--rate-5xx", "0.6"])).toThrow(/must not exceed 1/);
    expect(() => parseCli(["--port", "http"])).toThrow(/--port must be an integer/);
    expect(() => parseCli(["--frobnicate"])).toThrow(/Unknown option/);
    expect(() => parseCli(["--no-rate-limit", "--rate-limit", "1/1"])).toThrow(/exclude each other/);
    expect(() => parseCli(["--any-org", "--org", "ORG@AdobeOrg"])).toThrow(/--org and --any-org exclude each other/);
  });
});

describe("runCli", () => {
  it("prints pulumi config and export lines that work against the running emulator", async () => {
    const lines: string[] = [];
    const warnings: string[] = [];
    const emulator = await runCli(["--port", "0", "--spec-dir", testSpecDir(), "--client-secret", "s3cret value"], (t) => lines.push(t), (t) => warnings.push(t));
    try {
      expect(emulator).toBeDefined();
      const text = lines.join("\n");
      const url = emulator!.url;
      for (const key of ["imsEndpoint", "cjaEndpoint", "platformEndpoint"]) expect(text).toContain(`pulumi config set adobe:${key} ${url}`);
      expect(text).toContain("pulumi config set adobe:clientId emulator-client-id");
      expect(text).toContain("pulumi config set --secret adobe:clientSecret 's3cret value'");
      expect(text).toContain(`pulumi config set adobe:orgId ${DEFAULT_ORG}`);
      expect(text).toContain("pulumi config set adobe:sandbox prod");
      expect(text).toContain(`export ADOBE_PLATFORM_ENDPOINT=${url}`);
      expect(text).toContain("spec validation: on");
      expect(warnings).toEqual([]);

      const form = new URLSearchParams({ grant_type: "client_credentials", client_id: "emulator-client-id", client_secret: "s3cret value" });
      const token = await fetch(`${url}/ims/token/v3`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() });
      expect(token.status).toBe(200);
    } finally {
      await emulator?.close();
    }
  });

  it("warns clearly when Adobe's specs are not there", async () => {
    const warnings: string[] = [];
    const emulator = await runCli(["--port", "0", "--spec-dir", path.join(tmpdir(), "no-such-spec-folder")], () => undefined, (t) => warnings.push(t));
    await emulator?.close();
    expect(warnings.join("\n")).toMatch(/^WARNING: .*WITHOUT spec validation.*npm run specs/);
  });
});

/** Resolves a relative import of `from` to a .ts file of the repository. */
function resolveImport(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, "index.ts")].find((candidate) => existsSync(candidate));
}

/** Transpiles emulator/main.ts and every file it imports (as `tsc` would for dist/), so the real entry point can be spawned. */
function transpileEmulator(outDir: string): string {
  const pending = [path.join(repoRoot, "emulator", "main.ts")];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, "utf8");
    for (const { fileName } of ts.preProcessFile(source).importedFiles) {
      const resolved = fileName.startsWith(".") ? resolveImport(file, fileName) : undefined;
      if (resolved) pending.push(resolved);
    }
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
    });
    const target = path.join(outDir, path.relative(repoRoot, file)).replace(/\.ts$/, ".js");
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  return path.join(outDir, "emulator", "main.js");
}

describe("the emulator process", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "emulator-cli-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("starts with one command and stops cleanly on SIGINT, writing its state file", async () => {
    const main = transpileEmulator(path.join(dir, "build"));
    const stateFile = path.join(dir, "state.json");
    const child = spawn(process.execPath, [main, "--port", "0", "--state", stateFile, "--spec-dir", testSpecDir()], {
      env: { ...process.env, NODE_PATH: path.join(repoRoot, "node_modules") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const ready = new Promise<void>((resolve) => {
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        if (/export ADOBE_PLATFORM_ENDPOINT=/.test(output)) resolve();
      };
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
    });
    await Promise.race([ready, exited]);
    const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
    if (!url) throw new Error(`the emulator did not start:\n${output}`);
    const reset = await fetch(`${url}/_emulator/reset`, { method: "POST" });
    expect(reset.status).toBe(200);

    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(output).toContain("SIGINT: stopping the emulator and saving the state");
    expect(existsSync(stateFile)).toBe(true);
    expect(JSON.parse(readFileSync(stateFile, "utf8"))).toEqual({ version: 1, orgs: { cja: {}, aep: {} }, sandboxes: { aep: {} } });
  }, 120_000);
});
