/**
 * Both integrations for one environment. Each reads its settings from its own config namespace
 * (`ajo-cja:*`, `audiences-cja:*`) in Pulumi.<stack>.yaml, beside the shared `adobe:*` credentials.
 */
import * as pulumi from "@pulumi/pulumi";
import { ajoCjaStack, readSettings as ajoSettings } from "../examples/ajo-cja/stack";
import { audiencesCjaStack, readSettings as audiencesSettings } from "../examples/audiences-cja/stack";

export function bothIntegrations() {
  const ajo = ajoCjaStack(ajoSettings(new pulumi.Config("ajo-cja")));
  const audiences = audiencesCjaStack(audiencesSettings(new pulumi.Config("audiences-cja")));
  return { ajoCja: ajo.outputs, audiencesCja: audiences.outputs };
}
