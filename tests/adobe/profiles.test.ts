/** `adobe:profiles`: named settings sets over the stack's own, each error naming the key at fault and never a value. */
import { declaredProfiles, profileConfig, ProfileError, PROFILES_KEY } from "../../provider/adobe/profiles";
import { resolveSettings } from "../../provider/adobe/settings";

const STACK = {
  "adobe:clientId": "stack-client",
  "adobe:clientSecret": "stack-secret",
  "adobe:orgId": "STACKORG@AdobeOrg",
  "adobe:sandbox": "prod",
};
const config = (profiles: unknown) => {
  const values: Record<string, string> = { ...STACK, [PROFILES_KEY]: typeof profiles === "string" ? profiles : JSON.stringify(profiles) };
  return { get: (key: string) => values[key] };
};
const thrown = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
};

describe("a profile", () => {
  it("changes only what it sets: a sandbox, or another org with its own credentials", () => {
    const source = config({ development: { sandbox: "dev" }, emea: { orgId: "EMEAORG@AdobeOrg", clientId: "emea-client", clientSecret: "emea-secret" } });

    expect(resolveSettings(profileConfig(source, "development"), {})).toMatchObject({ sandbox: "dev", orgId: "STACKORG@AdobeOrg", clientId: "stack-client", clientSecret: "stack-secret" });
    expect(resolveSettings(profileConfig(source, "emea"), {})).toMatchObject({ sandbox: "prod", orgId: "EMEAORG@AdobeOrg", clientId: "emea-client", clientSecret: "emea-secret" });
    expect(resolveSettings(source, {})).toMatchObject({ sandbox: "prod", orgId: "STACKORG@AdobeOrg" });
  });

  it("a setting a profile leaves out falls back to the stack config, then to the environment", () => {
    const values: Record<string, string> = { [PROFILES_KEY]: JSON.stringify({ development: { sandbox: "dev" } }) };
    const settings = resolveSettings(profileConfig({ get: (k) => values[k] }, "development"), { ADOBE_CLIENT_ID: "env-client", ADOBE_CLIENT_SECRET: "env-secret", ADOBE_ORG_ID: "ENVORG@AdobeOrg" });
    expect(settings).toMatchObject({ sandbox: "dev", clientId: "env-client", orgId: "ENVORG@AdobeOrg" });
  });

  it("an undeclared profile names the declared ones and the command that declares it", () => {
    const error = thrown(() => profileConfig(config({ development: { sandbox: "dev" } }), "staging"));
    expect(error).toBeInstanceOf(ProfileError);
    expect(error.message).toBe(
      `no profile "staging" in adobe:profiles (declared: development); declare it with \`pulumi config set --path 'adobe:profiles.staging.sandbox' <sandbox>\` and the other settings it changes`,
    );
    expect(thrown(() => profileConfig({ get: () => undefined }, "staging")).message).toContain("(none is declared)");
  });

  it.each<[string, unknown, RegExp]>([
    ["not JSON", "{development:", /^adobe:profiles is not a JSON object; set its entries with `pulumi config set --path 'adobe:profiles.<profile>.<setting>' <value>`$/],
    ["a list", ["dev"], /^adobe:profiles must be an object of profiles by name/],
    ["a profile that is a string", { development: "dev" }, /^adobe:profiles\.development must be an object of settings/],
    ["a key that is no setting", { development: { sandbox: "dev", sandboxName: "dev" } }, /^adobe:profiles\.development\.sandboxName is not an Adobe setting; a profile sets clientId, clientSecret, orgId, sandbox, /],
    ["a key with its adobe: prefix", { development: { "adobe:sandbox": "dev" } }, /^adobe:profiles\.development\.adobe:sandbox is not an Adobe setting/],
    ["a value that is an object", { emea: { clientSecret: { secure: "v1:abc" } } }, /^adobe:profiles\.emea\.clientSecret must be a string$/],
  ])("refuses %s, naming the key", (_what, profiles, message) => {
    const error = thrown(() => declaredProfiles(config(profiles)));
    expect(error).toBeInstanceOf(ProfileError);
    expect(error.message).toMatch(message);
  });

  it("never echoes a value, secrets included", () => {
    const error = thrown(() => declaredProfiles(config({ emea: { clientSecret: "s3cr3t-value", passwd: "s3cr3t-value" } })));
    expect(error.message).not.toContain("s3cr3t-value");
  });
});
