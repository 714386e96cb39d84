/**
 * Which setting to check when Adobe refuses the credentials: the gateway's and IMS's codes for a
 * wrong client id, secret, scope or org, turned into a sentence that names the `adobe:*` key.
 */
import type { AdobeApiError } from "./errors";
import type { AdobeSettings } from "./settings";

type Credentials = Pick<AdobeSettings, "clientId" | "orgId">;

/** The sentence for a refused credential, or undefined when the error is not about settings. */
export function settingHint(error: AdobeApiError, settings: Credentials): string | undefined {
  const code = error.code ?? "";
  const client = `adobe:clientId (${settings.clientId})`;
  if (error.service === "IMS") {
    if (code === "invalid_client") return `Check ${client} and adobe:clientSecret: IMS does not know this OAuth Server-to-Server credential.`;
    if (code === "invalid_scope") return "Check adobe:scopes: the credential is not granted one of them.";
    return undefined;
  }
  switch (code) {
    case "403003":
      return `Check ${client}: the gateway does not know this API key.`;
    case "403025":
    case "403027":
      return `Check adobe:orgId (${settings.orgId}): the credential ${client} does not belong to this IMS org, or has no product profile in it (it must be the org of the credential's Developer Console project).`;
    default:
      return undefined;
  }
}
