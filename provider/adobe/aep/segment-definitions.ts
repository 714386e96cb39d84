/**
 * AEP segment definitions (platform.adobe.io/data/core/ups/segment/definitions): get.
 */
import { z } from "zod";
import type { AdobeClient } from "../http";
import { opt } from "../schema";

export const segmentDefinitionSchema = z.looseObject({
  id: z.string(),
  name: opt(z.string()),
  description: opt(z.string()),
  mergePolicyId: opt(z.string()),
  schema: opt(z.looseObject({ name: opt(z.string()) })),
  expression: opt(z.looseObject({ type: opt(z.string()), format: opt(z.string()), value: opt(z.string()) })),
  evaluationInfo: opt(z.looseObject({})),
  creationTime: opt(z.number()),
  updateTime: opt(z.number()),
});

export type SegmentDefinition = z.infer<typeof segmentDefinitionSchema>;

/** One segment definition. @throws AdobeApiError 404 when it does not exist */
export async function getSegmentDefinition(client: AdobeClient, segmentId: string, opts: { sandbox?: string } = {}): Promise<SegmentDefinition> {
  return client.request({
    service: "aep",
    method: "GET",
    path: "/data/core/ups/segment/definitions/{SEGMENT_ID}",
    pathParams: { SEGMENT_ID: segmentId },
    schema: segmentDefinitionSchema,
    sandbox: opts.sandbox,
  });
}
