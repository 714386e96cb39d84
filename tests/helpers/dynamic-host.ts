/**
 * Drives the Pulumi SDK's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) over
 * gRPC, as the Pulumi engine does, in a fresh process: Configure, then Check, Diff, Create, Read,
 * Update, Delete with the `__provider` text in the properties.
 */
import { spawn, type ChildProcess } from "child_process";
import { mkdtempSync, mkdirSync, rmSync, symlinkSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromSdk = (m: string) => require(require.resolve(m, { paths: [sdkDir] }));
const grpc = fromSdk("@grpc/grpc-js");
const { Struct } = fromSdk("google-protobuf/google/protobuf/struct_pb");
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
const S = (o: unknown) => Struct.fromJavaScript(o);

/** Diff answer as the engine sees it: changes 0 unknown, 1 none, 2 some. */
export interface HostDiff {
  changes: number;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export class DynamicHost {
  private child?: ChildProcess;
  private client: any;
  private packageDir?: string;
  /** Everything the host printed on stderr (warnings, progress lines). */
  stderr = "";

  private call = (method: string, req: unknown) =>
    new Promise<any>((resolve, reject) => this.client[method](req, (e: unknown, r: unknown) => (e ? reject(e) : resolve(r))));

  /**
   * Starts the host from the repository root with this package resolvable by its name (as in a
   * user's project, where it sits in node_modules), then sends Configure with the stack config.
   */
  async start(config: Record<string, unknown>, env: Record<string, string> = {}): Promise<void> {
    this.packageDir = mkdtempSync(path.join(tmpdir(), "pulumi-adobe-host-"));
    mkdirSync(path.join(this.packageDir, "node_modules"));
    symlinkSync(REPO_ROOT, path.join(this.packageDir, "node_modules", "pulumi-adobe-cja"), "dir");
    this.child = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/dynamic-provider"), "127.0.0.1:0"], {
      cwd: REPO_ROOT,
      env: { ...withoutAdobeEnv(process.env), PULUMI_NODEJS_PROJECT: "adobe-test", NODE_PATH: path.join(this.packageDir, "node_modules"), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stderr!.on("data", (d) => (this.stderr += String(d)));
    const port = await new Promise<number>((resolve, reject) => {
      let buf = "";
      this.child!.stdout!.on("data", (d) => {
        buf += d;
        const i = buf.indexOf("\n");
        if (i >= 0) resolve(parseInt(buf.slice(0, i), 10));
      });
      this.child!.once("exit", (code) => reject(new Error(`dynamic provider host exited with ${code}: ${this.stderr}`)));
    });
    this.client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const req = new provproto.ConfigureRequest();
    req.setArgs(S(config));
    await this.call("configure", req);
  }

  async stop(): Promise<void> {
    this.client?.close();
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child!.once("exit", resolve));
      this.child.kill();
      await exited;
    }
    if (this.packageDir) rmSync(this.packageDir, { recursive: true, force: true });
  }

  async check(urn: string, olds: object, news: object): Promise<{ inputs: Record<string, unknown>; failures: Array<{ property: string; reason: string }> }> {
    const r = new provproto.CheckRequest();
    r.setUrn(urn);
    r.setOlds(S(olds));
    r.setNews(S(news));
    const resp = await this.call("check", r);
    return {
      inputs: resp.getInputs().toJavaScript(),
      failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(urn: string, id: string, olds: object, news: object): Promise<HostDiff> {
    const r = new provproto.DiffRequest();
    r.setUrn(urn);
    r.setId(id);
    r.setOlds(S(olds));
    r.setNews(S(news));
    const resp = await this.call("diff", r);
    return { changes: resp.getChanges(), replaces: resp.getReplacesList(), deleteBeforeReplace: resp.getDeletebeforereplace() };
  }

  async create(urn: string, props: object): Promise<{ id: string; outs: Record<string, unknown> }> {
    const r = new provproto.CreateRequest();
    r.setUrn(urn);
    r.setProperties(S(props));
    const resp = await this.call("create", r);
    return { id: resp.getId(), outs: resp.getProperties().toJavaScript() };
  }

  async read(urn: string, id: string, props: object): Promise<{ id: string; props: Record<string, unknown>; inputs?: Record<string, unknown> }> {
    const r = new provproto.ReadRequest();
    r.setUrn(urn);
    r.setId(id);
    r.setProperties(S(props));
    const resp = await this.call("read", r);
    return { id: resp.getId(), props: resp.getProperties()?.toJavaScript() ?? {}, inputs: resp.hasInputs() ? resp.getInputs().toJavaScript() : undefined };
  }

  async update(urn: string, id: string, olds: object, news: object): Promise<Record<string, unknown>> {
    const r = new provproto.UpdateRequest();
    r.setUrn(urn);
    r.setId(id);
    r.setOlds(S(olds));
    r.setNews(S(news));
    return (await this.call("update", r)).getProperties().toJavaScript();
  }

  async delete(urn: string, id: string, props: object): Promise<void> {
    const r = new provproto.DeleteRequest();
    r.setUrn(urn);
    r.setId(id);
    r.setProperties(S(props));
    await this.call("delete", r);
  }
}

/** The host must get its credentials through Configure only, not from the test's environment. */
function withoutAdobeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("ADOBE_")));
}

export function urn(type: string, name: string): string {
  return `urn:pulumi:test::adobe-test::pulumi-nodejs:dynamic/${type}::${name}`;
}
