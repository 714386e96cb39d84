/** The provider host's process-wide client: configure stores config only, the client is shared and rebuilt on change. */
import { MissingSettingsError } from "../../provider/adobe/settings";
import { listDataViews } from "../../provider/adobe/cja/dataviews";
import { adobeClient, configure } from "../../provider/runtime";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";

let emu: TestEmulator;
const savedEnv = { ...process.env };

beforeAll(async () => {
  emu = await startTestEmulator();
});

afterAll(async () => {
  configure(undefined);
  await emu?.close();
});

beforeEach(async () => {
  for (const key of Object.keys(process.env)) if (key.startsWith("ADOBE_")) delete process.env[key];
  await emu.reset();
});

afterEach(() => {
  process.env = { ...savedEnv };
});

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe("runtime client", () => {
  it("configure stores the config and makes no request", async () => {
    configure(config(emu.config()));
    adobeClient();
    const { log } = await emu.requests();
    expect(log).toHaveLength(0);
  });

  it("shares one client (one token, one limiter) across callers until the settings change", async () => {
    configure(config({ ...emu.config(), "adobe:cjaRateLimit": "off" }));
    const first = adobeClient();
    expect(adobeClient()).toBe(first);
    await Promise.all([listDataViews(adobeClient()), listDataViews(adobeClient())]);
    await listDataViews(adobeClient());
    const { log } = await emu.requests();
    expect(log.filter((e) => e.route === "/ims/token/v3")).toHaveLength(1);

    configure(config({ ...emu.config(), "adobe:cjaRateLimit": "off" }));
    expect(adobeClient()).toBe(first);
    configure(config({ ...emu.config(), "adobe:cjaRateLimit": "off", "adobe:sandbox": "dev" }));
    const second = adobeClient();
    expect(second).not.toBe(first);
    expect(second.sandbox).toBe("dev");
  });

  it("falls back to the environment when config has no value", () => {
    Object.assign(process.env, emu.env());
    configure(config({}));
    expect(adobeClient().orgId).toBe(emu.env().ADOBE_ORG_ID);
  });

  it("throws MissingSettingsError naming every missing key and both ways to set it", () => {
    configure(config({}));
    let error: unknown;
    try {
      adobeClient();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingSettingsError);
    expect((error as MissingSettingsError).missingKeys).toEqual(["adobe:clientId", "adobe:clientSecret", "adobe:orgId"]);
    const message = (error as Error).message;
    for (const [key, env] of [
      ["adobe:clientId", "ADOBE_CLIENT_ID"],
      ["adobe:clientSecret", "ADOBE_CLIENT_SECRET"],
      ["adobe:orgId", "ADOBE_ORG_ID"],
    ]) {
      expect(message).toContain(key);
      expect(message).toContain(`export ${env}=`);
    }
    expect(message).toContain("pulumi config set --secret adobe:clientSecret");
  });
});
