/**
 * A tiny platform.adobe.io client for the AEP emulator tests: gets a token from the emulator's
 * IMS and sends the gateway headers Adobe requires on every AEP call.
 */
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_ORG, type TestEmulator } from "../helpers/emulator";

export interface AepResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface AepClient {
  /** One request to the emulator with the AEP headers; `body` is sent as JSON. */
  call<T = any>(method: string, path: string, body?: unknown): Promise<AepResponse<T>>;
  /** The same client for another sandbox. */
  inSandbox(sandbox: string): AepClient;
}

async function token(url: string): Promise<string> {
  const res = await fetch(`${url}/ims/token/v3`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: TEST_CLIENT_ID,
      client_secret: TEST_CLIENT_SECRET,
      grant_type: "client_credentials",
      scope: "openid,AdobeID,read_organizations,additional_info.projectedProductContext,session",
    }).toString(),
  });
  if (res.status !== 200) throw new Error(`IMS answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

function clientFor(url: string, accessToken: string, sandbox: string): AepClient {
  return {
    async call(method, path, body) {
      const headers: Record<string, string> = {
        authorization: `Bearer ${accessToken}`,
        "x-api-key": TEST_CLIENT_ID,
        "x-gw-ims-org-id": TEST_ORG,
        "x-sandbox-name": sandbox,
      };
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text === "" ? undefined : JSON.parse(text), headers: res.headers };
    },
    inSandbox: (other) => clientFor(url, accessToken, other),
  };
}

/** A client of the emulator's platform endpoints in `sandbox` (default `prod`). */
export async function aepClient(emulator: TestEmulator, sandbox = "prod"): Promise<AepClient> {
  return clientFor(emulator.url, await token(emulator.url), sandbox);
}

/** The admin path prefix of a sandbox of the test org, relative to `/_emulator`. */
export function sandboxAdmin(sandbox = "prod"): string {
  return `/orgs/${encodeURIComponent(TEST_ORG)}/sandboxes/${sandbox}`;
}

/** Polls `read` every `everyMs` until `done` holds for its value; returns every value seen. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, everyMs = 20, maxPolls = 500): Promise<T[]> {
  const seen: T[] = [];
  for (let i = 0; i < maxPolls; i++) {
    const value = await read();
    seen.push(value);
    if (done(value)) return seen;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`condition not reached after ${maxPolls} polls; last value: ${JSON.stringify(seen[seen.length - 1])}`);
}

/** The Profile Union dataset body of Adobe's guide (with its `persistet` typo, which Catalog ignores). */
export function profileUnionDataset(name: string) {
  return {
    name,
    schemaRef: { id: "_xdm.context.profile__union", contentType: "application/vnd.adobe.xed+json;version=1" },
    fileDescription: { persistet: true, containerFormat: "parquet", format: "parquet" },
  };
}

/**
 * An audience membership transform written by hand in the form of Adobe's Query Service docs
 * (`INSERT INTO t SELECT ..., struct(x AS field, ...) _tenant FROM ...`): one row per person of
 * the export with the listed audiences, ids and names joined with commas under `tenant`.
 */
export function membershipTransformSql(opts: {
  targetTable: string;
  sourceTable: string;
  personIdColumn: string;
  tenant: string;
  audiences: { id: string; name: string }[];
  statuses?: string[];
}): string {
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const whens = opts.audiences.map((a) => `WHEN ${quote(a.id)} THEN ${quote(a.name)}`).join(" ");
  return [
    `INSERT INTO ${opts.targetTable}`,
    `SELECT personID, struct(concat_ws(',', array_sort(collect_set(key))) AS audienceMembershipId,`,
    `                        concat_ws(',', array_sort(collect_set(CASE key ${whens} END))) AS audienceMembershipIdName) ${opts.tenant}`,
    "FROM (",
    `  SELECT ${opts.personIdColumn} AS personID, explode(segmentMembership.ups)`,
    `  FROM ${opts.sourceTable}`,
    ")",
    `WHERE value.status IN (${(opts.statuses ?? ["realized", "existing"]).map(quote).join(", ")})`,
    `  AND key IN (${opts.audiences.map((a) => quote(a.id)).join(", ")})`,
    "GROUP BY personID",
  ].join("\n");
}

/**
 * A Profile schema with the transform's string fields under the org's tenant namespace, made
 * through Schema Registry (field group, then schema). Returns its `$id` and the namespace.
 */
export async function membershipSchema(client: AepClient): Promise<{ schemaId: string; tenant: string }> {
  const registry = "/data/foundation/schemaregistry";
  const tenant = `_${(await client.call("GET", `${registry}/stats`)).body.tenantId}`;
  const group = await client.call("POST", `${registry}/tenant/fieldgroups`, {
    title: "Audience membership fields",
    description: "Audience ids and names",
    type: "object",
    "meta:intendedToExtend": ["https://ns.adobe.com/xdm/context/profile"],
    definitions: { audience: { properties: { [tenant]: { type: "object", properties: { audienceMembershipId: { type: "string" }, audienceMembershipIdName: { type: "string" } } } } } },
    allOf: [{ $ref: "#/definitions/audience" }],
  });
  if (group.status !== 201) throw new Error(`field group: ${group.status} ${JSON.stringify(group.body)}`);
  const schema = await client.call("POST", `${registry}/tenant/schemas`, {
    title: "Audience membership",
    description: "Profile schema for CJA",
    type: "object",
    allOf: [{ $ref: "https://ns.adobe.com/xdm/context/profile" }, { $ref: group.body.$id }],
  });
  if (schema.status !== 201) throw new Error(`schema: ${schema.status} ${JSON.stringify(schema.body)}`);
  return { schemaId: schema.body.$id, tenant };
}
