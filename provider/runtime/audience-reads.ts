/**
 * AEP audiences as one run reads them: each name looked up once (the export job's check and its
 * create share it), and each audience a lookup found is known by id to the rest of the run (the
 * membership transform reads the names of the audiences the export job resolved).
 */
import * as audiences from "../adobe/aep/audiences";
import { adobeClient } from "./client";
import { remember, shared } from "./run-cache";

const scope = () => {
  const client = adobeClient();
  return { client, prefix: `${client.orgId}|${client.sandbox}|audience` };
};

/** The audiences named exactly `name` in the current sandbox. */
export function audiencesNamed(name: string): Promise<audiences.Audience[]> {
  const { client, prefix } = scope();
  return shared(`${prefix}Name|${name}`, async () => {
    const matches = (await audiences.listAudiences(client, { name })).filter((a) => a.name === name);
    for (const audience of matches) remember(`${prefix}|${audience.id}`, audience);
    return matches;
  });
}

/** One audience by id. @throws AdobeApiError 404 when it does not exist */
export function audienceById(id: string): Promise<audiences.Audience> {
  const { client, prefix } = scope();
  return shared(`${prefix}|${id}`, () => audiences.getAudience(client, id));
}
