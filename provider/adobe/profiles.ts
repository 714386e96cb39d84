/**
 * Named settings sets: one program reaching several Adobe orgs or sandboxes. Dynamic resources
 * cannot take an explicit provider instance, so a resource names a profile (its `profile` input)
 * and the provider resolves that profile's settings over the stack's own:
 *
 * ```sh
 * pulumi config set --path 'adobe:profiles.development.sandbox' dev
 * pulumi config set --path 'adobe:profiles.emea.orgId' 5D3C...@AdobeOrg
 * pulumi config set --path 'adobe:profiles.emea.clientId' 0e1f...
 * pulumi config set --secret --path 'adobe:profiles.emea.clientSecret' <secret>
 * ```
 *
 * A profile's keys are the settings' names without `adobe:` (`sandbox`, `orgId`, `clientId`,
 * `clientSecret`, `cjaEndpoint`, ...); what it leaves out is the stack's value. Credentials stay in
 * the stack config, encrypted, as every secret of this package.
 */
import { SETTINGS, type ConfigSource } from "./settings";

export const PROFILES_KEY = "adobe:profiles";

type SettingName = keyof typeof SETTINGS;
const NAMES = Object.keys(SETTINGS) as SettingName[];

/** A profile that is not declared, or an `adobe:profiles` value that cannot be used; never echoes a value. */
export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProfileError";
  }
}

/**
 * The profiles of the stack config, by name: each a map of setting name to value.
 * @throws ProfileError naming the key that is wrong
 */
export function declaredProfiles(config: ConfigSource | undefined): Record<string, Partial<Record<SettingName, string>>> {
  const text = config?.get(PROFILES_KEY);
  if (text === undefined || text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ProfileError(`${PROFILES_KEY} is not a JSON object; set its entries with \`pulumi config set --path '${PROFILES_KEY}.<profile>.<setting>' <value>\``);
  }
  if (!isObject(parsed)) throw new ProfileError(`${PROFILES_KEY} must be an object of profiles by name, e.g. {"development": {"sandbox": "dev"}}`);
  const profiles: Record<string, Partial<Record<SettingName, string>>> = {};
  for (const [name, settings] of Object.entries(parsed)) {
    if (!isObject(settings)) throw new ProfileError(`${PROFILES_KEY}.${name} must be an object of settings, e.g. {"sandbox": "dev"}`);
    const profile: Partial<Record<SettingName, string>> = {};
    for (const [key, value] of Object.entries(settings)) {
      if (!(NAMES as string[]).includes(key)) throw new ProfileError(`${PROFILES_KEY}.${name}.${key} is not an Adobe setting; a profile sets ${NAMES.join(", ")}`);
      if (typeof value !== "string" && typeof value !== "number") throw new ProfileError(`${PROFILES_KEY}.${name}.${key} must be a string`);
      profile[key as SettingName] = String(value);
    }
    profiles[name] = profile;
  }
  return profiles;
}

/**
 * What a resource of `profile` reads its settings from: the profile's values over the stack's
 * config (and, below it, the environment, as for every setting).
 * @throws ProfileError when the profile is not declared
 */
export function profileConfig(config: ConfigSource | undefined, profile: string): ConfigSource {
  const profiles = declaredProfiles(config);
  const settings = profiles[profile];
  if (!settings) {
    const known = Object.keys(profiles);
    throw new ProfileError(
      `no profile "${profile}" in ${PROFILES_KEY} (${known.length > 0 ? `declared: ${known.join(", ")}` : "none is declared"}); declare it with \`pulumi config set --path '${PROFILES_KEY}.${profile}.sandbox' <sandbox>\` and the other settings it changes`,
    );
  }
  const byKey = new Map(Object.entries(settings).map(([name, value]) => [SETTINGS[name as SettingName].key as string, value]));
  return { get: (key) => byKey.get(key) ?? config?.get(key) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
