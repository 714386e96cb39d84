#!/usr/bin/env node
/**
 * `npx pulumi-adobe-cja-orphans [--cwd DIR] [--stack NAME] [--delete] [--delete-copies]` (in this
 * repository `npm run orphans -- ...`): the objects in
 * Adobe that carry one of a stack's ownership keys but that its state does not hold, and the
 * unstamped copies of the templates its data views copy.
 *
 * It reads the stack's checkpoint (`pulumi stack export`: the resources and the pending operations
 * a killed `up` left, each with the `__owner` its key is derived from) and its config (`pulumi
 * config --show-secrets`: the credentials), then lists per keyed resource the objects carrying its
 * key (data views by `externalData.externalId`, calculated metrics, field groups and schemas by
 * the last line of their description, datasets by the Catalog tag `pulumi/owner`).
 *
 * - An object whose resource the state holds with another id is an orphan: `--delete` deletes it.
 * - An object of a pending create (the state does not hold the resource yet) is adopted by the next
 *   `pulumi up`; nothing to delete.
 * - An unstamped `<template> (Copy)` on a template's connection may be what a run killed between
 *   Adobe's copy and its stamp left, or a person's copy: `--delete-copies` deletes them.
 */
import { execFileSync } from "child_process";
import { parseArgs } from "util";
import * as adobe from "../adobe";
import { adobeClient, configure } from "../runtime";
import { keyOf, ownershipMarkOf } from "../runtime/ownership";
import { OWNER_TAG } from "../runtime/resources/dataset";

/** What `pulumi stack export` gives, as far as the finder reads it. */
export interface Checkpoint {
  deployment: {
    resources?: Array<{ urn: string; type: string; id?: string; delete?: boolean; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>;
    pending_operations?: Array<{ type: string; resource: { urn: string; type: string; inputs?: Record<string, unknown> } }>;
  };
}

type Props = Record<string, unknown>;
const KEYED = ["cja:DataView", "cja:CalculatedMetric", "aep:Dataset", "aep:FieldGroup", "aep:Schema"] as const;
const XDM_KINDS = { "aep:FieldGroup": "fieldgroups", "aep:Schema": "schemas" } as const;
type KeyedType = (typeof KEYED)[number];

/** One resource the checkpoint knows, held or pending, with the key its objects carry. */
interface Declared {
  urn: string;
  type: KeyedType;
  /** The id the state holds; undefined for a pending create. */
  id?: string;
  inputs: Props;
  key: string;
}

export interface Finding {
  kind: "orphan" | "pending-create" | "unstamped-copy";
  type: KeyedType;
  id: string;
  name: string;
  urn?: string;
  /** What to do about it. */
  advice: string;
}

const typeOf = (type: string): KeyedType | undefined => KEYED.find((t) => type === `pulumi-nodejs:dynamic/${t}`);

/** The keyed resources of a checkpoint: the state's, then the pending creates'. */
export function declaredResources(deployment: Checkpoint, orgId: string): Declared[] {
  const held = (deployment.deployment.resources ?? []).filter((r) => !r.delete).map((r) => ({ urn: r.urn, type: r.type, id: r.id, inputs: { ...(r.outputs ?? {}), ...(r.inputs ?? {}) } }));
  const pending = (deployment.deployment.pending_operations ?? [])
    .filter((op) => op.type === "creating")
    .map((op) => ({ urn: op.resource.urn, type: op.resource.type, id: undefined, inputs: op.resource.inputs ?? {} }));
  // A pending create of a resource the state holds is stale: a later `up` adopted its object.
  const heldUrns = new Set(held.map((r) => r.urn));
  const declared: Declared[] = [];
  for (const r of [...held, ...pending.filter((p) => !heldUrns.has(p.urn))]) {
    const type = typeOf(r.type);
    const owner = r.inputs.__owner;
    if (!type || typeof owner !== "string") continue;
    declared.push({ urn: r.urn, type, id: r.id, inputs: r.inputs, key: keyOf(orgId, owner) });
  }
  return declared;
}

/** What Adobe holds for the declared resources that the state does not. */
export async function findOrphans(declared: Declared[]): Promise<Finding[]> {
  const client = adobeClient();
  const findings: Finding[] = [];
  const heldIds = new Set(declared.map((d) => d.id).filter((id): id is string => id !== undefined));
  const classify = (d: Declared, id: string, name: string) => {
    if (heldIds.has(id)) return;
    findings.push(
      d.id === undefined
        ? { kind: "pending-create", type: d.type, id, name, urn: d.urn, advice: "a killed run made it: the next pulumi up adopts it" }
        : { kind: "orphan", type: d.type, id, name, urn: d.urn, advice: `the state holds ${d.id} for this resource: --delete deletes ${id}` },
    );
  };

  const dataViews = declared.filter((d) => d.type === "cja:DataView");
  if (dataViews.length > 0) {
    const live = await adobe.listDataViews(client, { externalIds: dataViews.map((d) => d.key) });
    for (const d of dataViews) for (const dv of live.filter((v) => v.externalData?.externalId === d.key)) classify(d, dv.id, dv.name ?? "");
  }

  const metrics = declared.filter((d) => d.type === "cja:CalculatedMetric");
  const metricDataViews = [...new Set(metrics.map((d) => d.inputs.dataViewId).filter((id): id is string => typeof id === "string"))];
  if (metricDataViews.length > 0) {
    const live = await adobe.listCalculatedMetrics(client, { dataIds: metricDataViews });
    for (const d of metrics) for (const m of live.filter((x) => ownershipMarkOf(x.description) === d.key)) classify(d, m.id, m.name ?? "");
  }

  const datasets = declared.filter((d) => d.type === "aep:Dataset");
  if (datasets.length > 0) {
    // One list of every dataset carrying the tag (Catalog's `*` matches any value).
    const live = await adobe.listDatasets(client, { tags: { [OWNER_TAG]: "*" } });
    for (const d of datasets) for (const ds of live.filter((x) => x.tags?.[OWNER_TAG]?.includes(d.key))) classify(d, ds.id, ds.name ?? "");
  }

  // Field groups and schemas: the ones of each declared title carrying its key.
  for (const [type, kind] of Object.entries(XDM_KINDS) as Array<[KeyedType, "fieldgroups" | "schemas"]>) {
    for (const d of declared.filter((x) => x.type === type && typeof x.inputs.title === "string")) {
      for (const resource of await adobe.schemaRegistry.findByTitle(client, kind, d.inputs.title as string)) {
        if (ownershipMarkOf(resource.description) === d.key) classify(d, resource.$id, resource.title ?? "");
      }
    }
  }

  // The templates the data views copy: an unstamped "<template> (Copy)" on their connection.
  const templates = [...new Set(dataViews.map((d) => d.inputs.copyFrom).filter((id): id is string => typeof id === "string"))];
  for (const templateId of templates) {
    const template = await adobe.getDataView(client, templateId).catch((error: unknown) => (adobe.isNotFound(error) ? undefined : Promise.reject(error)));
    if (!template) continue;
    const copies = await adobe.listDataViews(client, { parentDataGroupId: template.parentDataGroupId });
    for (const dv of copies.filter((v) => v.name === `${template.name} (Copy)` && !v.externalData?.externalId && !heldIds.has(v.id))) {
      findings.push({
        kind: "unstamped-copy",
        type: "cja:DataView",
        id: dv.id,
        name: dv.name ?? "",
        advice: `an unstamped copy of ${templateId}: a run killed between the copy and its stamp left it, or a person made it (owner ${JSON.stringify(dv.owner ?? {})}); --delete-copies deletes it`,
      });
    }
  }
  return findings;
}

/** Deletes what was asked: orphans (`--delete`), unstamped copies (`--delete-copies`). */
export async function deleteFindings(findings: Finding[], opts: { orphans: boolean; copies: boolean }): Promise<Finding[]> {
  const client = adobeClient();
  const deleted: Finding[] = [];
  for (const f of findings) {
    if (!((f.kind === "orphan" && opts.orphans) || (f.kind === "unstamped-copy" && opts.copies))) continue;
    if (f.type === "cja:DataView") await adobe.deleteDataView(client, f.id);
    if (f.type === "cja:CalculatedMetric") await adobe.deleteCalculatedMetric(client, f.id);
    if (f.type === "aep:Dataset") await adobe.deleteDataset(client, f.id);
    if (f.type === "aep:FieldGroup" || f.type === "aep:Schema") await adobe.schemaRegistry.deleteResource(client, XDM_KINDS[f.type], f.id);
    deleted.push(f);
  }
  return deleted;
}

function pulumi(args: string[], cwd: string): string {
  return execFileSync("pulumi", args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "inherit"] });
}

/** The stack's config as the provider reads it (`adobe:clientId` → value), secrets decrypted. */
function stackConfig(cwd: string, stack: string[]): Record<string, string> {
  const config = JSON.parse(pulumi(["config", "--json", "--show-secrets", ...stack], cwd)) as Record<string, { value?: unknown }>;
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v.value === "string" ? v.value : JSON.stringify(v.value)]));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { cwd: { type: "string", default: "." }, stack: { type: "string" }, delete: { type: "boolean", default: false }, "delete-copies": { type: "boolean", default: false } },
    strict: true,
  });
  const stack = values.stack ? ["--stack", values.stack] : [];
  const deployment = JSON.parse(pulumi(["stack", "export", ...stack], values.cwd)) as Checkpoint;
  const config = stackConfig(values.cwd, stack);
  configure({ get: (key) => config[key] });
  const declared = declaredResources(deployment, adobeClient().orgId);
  const findings = await findOrphans(declared);
  console.log(`${declared.length} keyed resources in the checkpoint (${declared.filter((d) => d.id === undefined).length} pending creates); ${findings.length} findings`);
  for (const f of findings) console.log(`${f.kind}\t${f.type}\t${f.id}\t"${f.name}"\t${f.urn ?? ""}\n\t${f.advice}`);
  const deleted = await deleteFindings(findings, { orphans: values.delete, copies: values["delete-copies"] });
  for (const f of deleted) console.log(`deleted ${f.type} ${f.id}`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
