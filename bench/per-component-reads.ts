/**
 * The one-request-per-component baseline sent for real, once, to check the scale: every component
 * of a data view read on its own (`GET .../dimensions/{id}`, `GET .../metrics/{id}`) through the
 * provider's Adobe client with the scaled limiter.
 */
import { AdobeClient } from "../provider/adobe/http";
import { getDimension } from "../provider/adobe/cja/dimensions";
import { getMetric } from "../provider/adobe/cja/metrics";
import { resolveSettings } from "../provider/adobe/settings";
import type { EmulatorAdmin } from "./emulator-admin";
import { countRequests, type RequestCounts } from "./measure";

export interface PerComponentReads {
  requests: RequestCounts;
  wallMs: number;
}

/** Reads each component of `dataViewId` with its own request, all queued at once; `config` holds the `adobe:*` settings. */
export async function measurePerComponentReads(
  admin: EmulatorAdmin,
  config: Record<string, string>,
  dataViewId: string,
  components: { dimensions: string[]; metrics: string[] },
  coolDownMs: number,
): Promise<PerComponentReads> {
  const client = new AdobeClient(resolveSettings({ get: (key) => config[key] }, {}));
  // The token first, outside the measured time (one IMS request per process, not rate limited).
  await getDimension(client, dataViewId, components.dimensions[0]);
  await new Promise((resolve) => setTimeout(resolve, coolDownMs));
  await admin.clearRequests();
  const started = process.hrtime.bigint();
  await Promise.all([...components.dimensions.map((id) => getDimension(client, dataViewId, id)), ...components.metrics.map((id) => getMetric(client, dataViewId, id))]);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { requests: countRequests((await admin.requests()).counters), wallMs };
}
