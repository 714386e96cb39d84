/** `pulumi up` at the repository root: both integrations for the stack's environment. */
import { bothIntegrations } from "./both-integrations";

const outputs = bothIntegrations();

export const ajoCja = outputs.ajoCja;
export const audiencesCja = outputs.audiencesCja;
