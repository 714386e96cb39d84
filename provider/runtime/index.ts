/**
 * What the provider host runs. The serialized provider (a thin shim) `require`s this module by
 * the package's `./runtime` export and delegates to it, so all state (config, token cache, rate
 * limiters) lives here, once per process, and nothing of it is written into Pulumi's state.
 */
export { adobeClient, configure } from "./client";
export { handler, provider } from "./handlers";
export { clearComponentCache } from "./component-cache";
