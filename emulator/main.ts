/**
 * Command line: `node dist/emulator/main.js [options]` (or `npm run emulator -- [options]`).
 * Starts the emulator and prints how to point a Pulumi stack at it.
 */
import { parseArgs } from "util";
import { EMULATOR_SETUPS } from "../examples/emulator-setups";
import { startEmulator, type RunningEmulator, type StartOptions } from "./server";
import type { FaultOptions } from "./types";

export const DEFAULT_PORT = 8787;
export const DEFAULT_ORG = "EMULATOR0000000000000000@AdobeOrg";
export const DEFAULT_SANDBOX = "prod";

export const USAGE = `Usage: node dist/emulator/main.js [options]

Local emulator of the Adobe APIs the package uses (IMS, CJA, AEP), with Adobe's error bodies,
rate limit, spec validation and fault injection.

Options:
  --port <n>                  port to listen on (default ${DEFAULT_PORT}; 0 = any free port)
  --host <host>               interface to bind (default 127.0.0.1)
  --state <file>              JSON file the state is loaded from and saved to (default: memory only)
  --rate-limit <n>/<ms>       CJA rate limit per client id (default 12/6000)
  --no-rate-limit             no CJA rate limit
  --latency <ms>              latency added to every IMS/CJA/AEP request
  --rate-429 <share>          share (0..1) of requests answered 429
  --rate-5xx <share>          share (0..1) of requests answered 500/502/503
  --drop <share>              share (0..1) of connections dropped without an answer
  --retry-after <s>           Retry-After seconds sent with 429s
  --seed <n>                  seed of the random fault draws (a run repeats with the same seed)
  --token-lifetime <s>        lifetime of issued tokens in seconds (default 86399)
  --client-id <id>            client id IMS accepts (default emulator-client-id)
  --client-secret <secret>    client secret IMS accepts (default emulator-client-secret)
  --org <id>                  the IMS org the credential belongs to (a request for another gets 403025 "Profile is not valid"), printed in the setup hints (default ${DEFAULT_ORG})
  --any-org                   accept the credential for every org (tests that keep several orgs apart)
  --spec-dir <dir>            folder with Adobe's OpenAPI specs (default $ADOBE_OPENAPI_DIR or ../shared/adobe-openapi)
  --export-job-ms <new>/<processing>  ms an export job stays NEW, then PROCESSING
  --query-ms <n>              ms a Query Service query runs
  --setup <name>              at start, play the Adobe UI for an example (${Object.keys(EMULATOR_SETUPS).join(", ")}) in the --org
  --help                      show this help
`;

/** What the command line asks for. */
export interface CliRequest {
  help: boolean;
  org: string;
  options: StartOptions;
  /** The example set-up to run at start (`--setup`), a key of EMULATOR_SETUPS. */
  setup?: string;
}

function fail(message: string): never {
  throw new Error(`${message}\n\n${USAGE}`);
}

function integer(name: string, value: string, min = 0): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

function share(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) fail(`--${name} must be a number between 0 and 1, got "${value}"`);
  return n;
}

function pair(name: string, value: string, minFirst: number): [number, number] {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  if (!match) fail(`--${name} must look like <n>/<ms>, got "${value}"`);
  return [integer(name, match[1], minFirst), integer(name, match[2], 1)];
}

const CLI_OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  state: { type: "string" },
  "rate-limit": { type: "string" },
  "no-rate-limit": { type: "boolean" },
  latency: { type: "string" },
  "rate-429": { type: "string" },
  "rate-5xx": { type: "string" },
  drop: { type: "string" },
  "retry-after": { type: "string" },
  seed: { type: "string" },
  "token-lifetime": { type: "string" },
  "client-id": { type: "string" },
  "client-secret": { type: "string" },
  org: { type: "string" },
  "any-org": { type: "boolean" },
  "spec-dir": { type: "string" },
  "export-job-ms": { type: "string" },
  "query-ms": { type: "string" },
  setup: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof CLI_OPTIONS }>>["values"];

function faultOptions(v: Values): FaultOptions {
  const faults: FaultOptions = {};
  if (v.latency !== undefined) faults.latencyMs = integer("latency", v.latency);
  if (v["rate-429"] !== undefined) faults.rate429 = share("rate-429", v["rate-429"]);
  if (v["rate-5xx"] !== undefined) faults.rate5xx = share("rate-5xx", v["rate-5xx"]);
  if (v.drop !== undefined) faults.dropRate = share("drop", v.drop);
  if (v["retry-after"] !== undefined) faults.retryAfterSeconds = integer("retry-after", v["retry-after"]);
  if (v.seed !== undefined) faults.seed = integer("seed", v.seed);
  if ((faults.rate429 ?? 0) + (faults.rate5xx ?? 0) + (faults.dropRate ?? 0) > 1) fail("--rate-429 + --rate-5xx + --drop must not exceed 1");
  return faults;
}

function rateLimit(v: Values): StartOptions["rateLimit"] {
  if (v["no-rate-limit"]) {
    if (v["rate-limit"] !== undefined) fail("--rate-limit and --no-rate-limit exclude each other");
    return null;
  }
  const [requests, intervalMs] = pair("rate-limit", v["rate-limit"] ?? "12/6000", 1);
  return { requests, intervalMs };
}

/** Parses the command line (without `node` and the script). Throws with the usage on a bad argument. */
export function parseCli(argv: string[]): CliRequest {
  let values: Values;
  try {
    values = parseArgs({ args: argv, options: CLI_OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    fail((err as Error).message);
  }
  const v = values;
  const org = v.org ?? DEFAULT_ORG;
  if (v["any-org"] && v.org !== undefined) fail("--org and --any-org exclude each other");
  const options: StartOptions = {
    port: v.port === undefined ? DEFAULT_PORT : integer("port", v.port),
    host: v.host,
    stateFile: v.state,
    rateLimit: rateLimit(v),
    faults: faultOptions(v),
    tokenLifetimeSeconds: v["token-lifetime"] === undefined ? undefined : integer("token-lifetime", v["token-lifetime"], 1),
    clientId: v["client-id"],
    clientSecret: v["client-secret"],
    credentialOrgs: v["any-org"] ? null : [org],
    specDir: v["spec-dir"],
    queryDurationMs: v["query-ms"] === undefined ? undefined : integer("query-ms", v["query-ms"]),
  };
  if (v["export-job-ms"] !== undefined) {
    const [newMs, processingMs] = pair("export-job-ms", v["export-job-ms"], 0);
    options.exportJobTimings = { newMs, processingMs };
  }
  if (v.setup !== undefined && !Object.hasOwn(EMULATOR_SETUPS, v.setup)) fail(`--setup must be one of ${Object.keys(EMULATOR_SETUPS).join(", ")}, got "${v.setup}"`);
  return { help: Boolean(v.help), org, options, ...(v.setup !== undefined ? { setup: v.setup } : {}) };
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/** The `pulumi config set` and `export ADOBE_...` lines that point a stack at `emulator`. */
export function setupHints(emulator: RunningEmulator, org: string): string {
  const { url, options } = emulator;
  const settings: [configKey: string, envVar: string, value: string, secret?: boolean][] = [
    ["adobe:clientId", "ADOBE_CLIENT_ID", options.clientId],
    ["adobe:clientSecret", "ADOBE_CLIENT_SECRET", options.clientSecret, true],
    ["adobe:orgId", "ADOBE_ORG_ID", org],
    ["adobe:sandbox", "ADOBE_SANDBOX", DEFAULT_SANDBOX],
    ["adobe:imsEndpoint", "ADOBE_IMS_ENDPOINT", url],
    ["adobe:cjaEndpoint", "ADOBE_CJA_ENDPOINT", url],
    ["adobe:platformEndpoint", "ADOBE_PLATFORM_ENDPOINT", url],
  ];
  return [
    "Point a Pulumi stack at it:",
    ...settings.map(([key, , value, secret]) => `  pulumi config set ${secret ? "--secret " : ""}${key} ${shellQuote(value)}`),
    "",
    "Or with environment variables:",
    ...settings.map(([, env, value]) => `  export ${env}=${shellQuote(value)}`),
  ].join("\n");
}

/** A short description of how the emulator runs. */
export function startupSummary(emulator: RunningEmulator): string {
  const { options } = emulator;
  const limit = options.rateLimit ? `${options.rateLimit.requests} requests / ${options.rateLimit.intervalMs} ms per client id` : "off";
  const faults = Object.entries(options.faults).map(([k, v]) => `${k}=${v}`).join(", ") || "none";
  return [
    `Adobe API emulator listening on ${emulator.url}`,
    `  spec validation: ${emulator.specValidation ? `on (${options.specDir})` : "OFF"}`,
    `  CJA rate limit:  ${limit}`,
    `  faults:          ${faults}`,
    `  state file:      ${options.stateFile ?? "none (memory only)"}`,
    `  admin API:       ${emulator.url}/_emulator (reset, requests, faults, tokens/expire, rate-limit, state, validation-failures)`,
  ].join("\n");
}

/** Runs the CLI: starts the emulator and prints the summary, warnings and setup hints. Undefined for --help. */
export async function runCli(argv: string[], out: (text: string) => void, warn: (text: string) => void): Promise<RunningEmulator | undefined> {
  const request = parseCli(argv);
  if (request.help) {
    out(USAGE);
    return undefined;
  }
  const emulator = await startEmulator(request.options);
  out(startupSummary(emulator));
  for (const warning of emulator.warnings) warn(`WARNING: ${warning}`);
  out(`\n${setupHints(emulator, request.org)}\n`);
  if (request.setup) {
    try {
      out(`${await EMULATOR_SETUPS[request.setup].run(emulator.url, request.org)}\n`);
    } catch (err) {
      await emulator.close();
      throw err;
    }
  }
  return emulator;
}

async function main(): Promise<void> {
  let emulator: RunningEmulator | undefined;
  try {
    emulator = await runCli(process.argv.slice(2), (t) => console.log(t), (t) => console.warn(t));
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 1;
    return;
  }
  if (!emulator) return;
  const running = emulator;
  const stop = (signal: string) => {
    console.log(`\n${signal}: stopping the emulator${running.options.stateFile ? " and saving the state" : ""}...`);
    running.close().then(
      () => process.exit(0),
      (err: Error) => {
        console.error(err.message);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

if (require.main === module) void main();
