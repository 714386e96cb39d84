#!/usr/bin/env node
/**
 * Downloads Adobe's published OpenAPI specs, at the commits the project is tested against, into
 * the spec folder the emulator and the contract tests read (`ADOBE_OPENAPI_DIR`, default
 * `<repo>/../shared/adobe-openapi`). Plain Node, no dependencies.
 *
 *   npm run specs                      # into the default folder
 *   npm run specs -- --dir ./specs     # somewhere else (then set ADOBE_OPENAPI_DIR=./specs)
 *   npm run specs -- --force           # download again even if the files are there
 *
 * Each file is checked against the SHA-256 of the copy the project was tested with; a file that
 * differs is not written (pass --no-verify to take it anyway). The specs are Adobe's files: they
 * are never copied into this repository.
 */
"use strict";

const crypto = require("crypto");
const fs = require("fs");
const https = require("https");
const path = require("path");

const CJA_COMMIT = "8ccd408e";
const PLATFORM_COMMIT = "16c60cd7";

const raw = (repo, commit, file) => `https://raw.githubusercontent.com/${repo}/${commit}/${file}`;

/** Target name, source URL, and the SHA-256 of the copy the project is tested against. */
const SPECS = [
  {
    name: "cja.json",
    url: raw("AdobeDocs/cja-apis", CJA_COMMIT, "static/swagger.json"),
    sha256: "f5bfe5581f6224446744cab8c5e8a6aa6470f7d30973c4f127a3c97c61915c6e",
  },
  {
    name: "aep-segmentation.yaml",
    url: raw("AdobeDocs/experience-platform-apis", PLATFORM_COMMIT, "static/swagger-specs/segmentation.yaml"),
    sha256: "c0f654526464dbeaf92e2666c333982f8308f2961047fc38e6150001bd26870f",
  },
  {
    name: "aep-catalog.yaml",
    url: raw("AdobeDocs/experience-platform-apis", PLATFORM_COMMIT, "static/swagger-specs/catalog.yaml"),
    sha256: "e8b3980c6dfb1db6ecf2b2bd314c092903feadd8fc133b4e2c35ad541a75dc3d",
  },
  {
    name: "aep-query-service.yaml",
    url: raw("AdobeDocs/experience-platform-apis", PLATFORM_COMMIT, "static/swagger-specs/query-service.yaml"),
    sha256: "434fa0b67ceec4293126afff3bf8d7e9dca16469185430417eda452cb10151fb",
  },
  {
    name: "aep-schema-registry.yaml",
    url: raw("AdobeDocs/experience-platform-apis", PLATFORM_COMMIT, "static/swagger-specs/schema-registry.yaml"),
    sha256: "a971ed59850192198426e3ae370ab85bd6899a0662d6d2d7a11900d32d743d35",
  },
];

const MAX_REDIRECTS = 5;
const TIMEOUT_MS = 60_000;

const USAGE = `Usage: node scripts/fetch-specs.js [--dir <folder>] [--force] [--no-verify]

Downloads Adobe's OpenAPI specs (${SPECS.map((s) => s.name).join(", ")})
into --dir, else $ADOBE_OPENAPI_DIR, else <repo>/../shared/adobe-openapi.`;

function parseArgs(argv) {
  const args = { dir: undefined, force: false, verify: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--force") args.force = true;
    else if (arg === "--no-verify") args.verify = false;
    else if (arg === "--dir" && argv[i + 1]) args.dir = argv[++i];
    else if (arg === "--help" || arg === "-h") args.help = true;
    else throw new Error(`Unknown argument "${arg}".\n\n${USAGE}`);
  }
  return args;
}

function targetDir(args) {
  return path.resolve(args.dir || process.env.ADOBE_OPENAPI_DIR || path.join(__dirname, "..", "..", "shared", "adobe-openapi"));
}

function sha256(buffer) {
  return crypto.createHash("sha256").update(buffer).digest("hex");
}

/** GETs `url` into a Buffer, following redirects. */
function download(url, redirects = 0) {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { headers: { "user-agent": "pulumi-adobe-cja fetch-specs" } }, (res) => {
      const { statusCode = 0, headers } = res;
      if (statusCode >= 300 && statusCode < 400 && headers.location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) return reject(new Error(`too many redirects for ${url}`));
        return resolve(download(new URL(headers.location, url).toString(), redirects + 1));
      }
      if (statusCode !== 200) {
        res.resume();
        return reject(new Error(`GET ${url} answered HTTP ${statusCode}`));
      }
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () => resolve(Buffer.concat(chunks)));
      res.on("error", reject);
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`GET ${url} timed out after ${TIMEOUT_MS / 1000} s`)));
    req.on("error", reject);
  });
}

/** Writes via a temporary file and a rename, so a folder never holds a half-written spec. */
function writeAtomically(file, buffer) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, buffer);
  fs.renameSync(tmp, file);
}

async function fetchSpec(spec, dir, args) {
  const file = path.join(dir, spec.name);
  if (!args.force && fs.existsSync(file)) {
    const matches = sha256(fs.readFileSync(file)) === spec.sha256;
    return `${spec.name}: already present${matches ? " (verified)" : " (differs from the tested copy; --force to replace it)"}`;
  }
  const body = await download(spec.url);
  const digest = sha256(body);
  if (args.verify && digest !== spec.sha256) {
    throw new Error(
      `${spec.name}: ${spec.url} has SHA-256 ${digest}, not the tested ${spec.sha256}; not written. ` +
        "Pass --no-verify to take it anyway.",
    );
  }
  writeAtomically(file, body);
  return `${spec.name}: downloaded (${body.length} bytes) from ${spec.url}`;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const dir = targetDir(args);
  fs.mkdirSync(dir, { recursive: true });
  console.log(`Adobe OpenAPI specs -> ${dir}`);
  let failed = 0;
  for (const spec of SPECS) {
    try {
      console.log(`  ${await fetchSpec(spec, dir, args)}`);
    } catch (err) {
      failed += 1;
      console.error(`  ${spec.name}: FAILED: ${err.message}`);
    }
  }
  if (failed > 0) {
    console.error(`${failed} of ${SPECS.length} specs could not be fetched.`);
    process.exitCode = 1;
    return;
  }
  if (!process.env.ADOBE_OPENAPI_DIR && args.dir) console.log(`Set ADOBE_OPENAPI_DIR=${dir} so the emulator and the tests find them.`);
}

main().catch((err) => {
  console.error(err.message);
  process.exitCode = 1;
});
