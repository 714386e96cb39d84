/**
 * What the Schema Registry resources (`FieldGroup`, `Schema`) share: they are found by their
 * title, carry their ownership key on the last line of their description, and are adopted
 * (by title, for a team that made them in the AEP UI) or created.
 */
import * as registry from "../../adobe/aep/schema-registry";
import { adobeClient } from "../client";
import { onlyOwn, ownershipKey, ownershipMarkOf } from "../ownership";

/** What a lookup by title decided: the resource to use, or that one must be created. */
export type Located = { resource: registry.XdmResource; adopted: boolean } | { create: (body: Record<string, unknown>) => Promise<registry.XdmResource>; key: string };

const NOUN: Record<registry.XdmKind, string> = { fieldgroups: "field group", schemas: "schema" };

/**
 * The tenant resource titled `title`: the one an earlier run made (it carries the key), the one a
 * team made in the UI when `adoptExisting`, or none (then `create` posts it with the key).
 */
export async function locateByTitle(kind: registry.XdmKind, subject: string, title: string, opts: { owner?: string; adoptExisting?: boolean }): Promise<Located> {
  const client = adobeClient();
  const full = await registry.findByTitle(client, kind, title);
  if (opts.adoptExisting) {
    if (full.length === 1) return { resource: full[0], adopted: true };
    throw new Error(`${subject}: ${full.length === 0 ? `no ${NOUN[kind]} is titled "${title}"` : `${full.length} ${NOUN[kind]}s are titled "${title}" (${full.map((r) => r.$id).join(", ")})`} in sandbox ${client.sandbox}; make it in the AEP UI or let the stack create it (adoptExisting: false).`);
  }
  const key = ownershipKey(opts.owner);
  const own = onlyOwn(
    full.filter((r) => ownershipMarkOf(r.description) === key).map((resource) => ({ id: resource.$id, resource })),
    { subject, objects: `${NOUN[kind]}s`, key, remedy: "Delete all but one in the AEP UI (Schemas), then run pulumi up again (it adopts the one left)." },
  );
  if (own) return { resource: own.resource, adopted: false };
  if (full.length > 0) {
    throw new Error(`${subject}: a ${NOUN[kind]} titled "${title}" already exists (${full.map((r) => r.$id).join(", ")}); adopt it (adoptExisting: true) or choose another title.`);
  }
  return {
    key,
    create: (body) =>
      registry.createResource(client, kind, body, {
        recover: async () => {
          const again = await registry.findByTitle(client, kind, title);
          return again.find((r) => ownershipMarkOf(r.description) === key);
        },
      }),
  };
}
