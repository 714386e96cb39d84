/**
 * The example stacks as the benchmark and the soak run them against an emulator: the Adobe UI's
 * part played on the emulator, the stack config (the example's Pulumi.yaml defaults, then what
 * points it at the emulator's objects, then the Adobe client settings) and the program.
 */
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { emulatorStackConfig } from "../examples/audiences-cja/emulator-setup";
import { audiencesCjaStack } from "../examples/audiences-cja/stack";
import { setUpAudiencesInEmulator, type AudiencesUiSetup } from "../examples/audiences-cja/ui-setup";
import { ajoCjaStack } from "../examples/ajo-cja/stack";
import { setUpAjoInEmulator, type AjoUiSetup } from "../examples/ajo-cja/ui-setup";

/** A stack ready to run with the in-process engine. */
export interface StackUnderTest {
  project: string;
  /** The full stack config: project keys and `adobe:*`. */
  config: Record<string, string>;
  program: () => unknown;
}

/** Where the emulator is and who the client is. */
export interface EmulatorTarget {
  url: string;
  orgId: string;
  clientId: string;
  clientSecret: string;
}

/** `adobe:*` config pointing every endpoint at the emulator, plus client settings (`adobe:cjaRateLimit`, retries...). */
export function adobeConfig(target: EmulatorTarget, client: Record<string, string> = {}): Record<string, string> {
  return {
    "adobe:clientId": target.clientId,
    "adobe:clientSecret": target.clientSecret,
    "adobe:orgId": target.orgId,
    "adobe:imsEndpoint": target.url,
    "adobe:cjaEndpoint": target.url,
    "adobe:platformEndpoint": target.url,
    ...client,
  };
}

/** The example's folder (with its Pulumi.yaml), from bench/ or from the compiled dist/bench/. */
export function exampleDir(name: string): string {
  const dir = [path.resolve(__dirname, "..", "examples", name), path.resolve(__dirname, "..", "..", "examples", name)].find((d) => existsSync(path.join(d, "Pulumi.yaml")));
  if (!dir) throw new Error(`examples/${name}/Pulumi.yaml not found`);
  return dir;
}

/** The project name and the config defaults of an example's Pulumi.yaml. */
function projectOf(name: string): { project: string; defaults: Record<string, string> } {
  return projectConfigDefaults(path.join(exampleDir(name), "Pulumi.yaml"));
}

/** examples/ajo-cja: plays the UI (connection, template data view) and returns the stack. */
export async function ajoExample(
  target: EmulatorTarget,
  client: Record<string, string>,
  stackConfig: Record<string, string> = {},
): Promise<{ ui: AjoUiSetup; stack: StackUnderTest }> {
  const ui = await setUpAjoInEmulator(target.url, target.orgId);
  const { project, defaults } = projectOf("ajo-cja");
  const config = {
    ...defaults,
    [`${project}:connectionName`]: ui.connectionName,
    [`${project}:templateDataViewId`]: ui.templateDataViewId,
    [`${project}:dataViewName`]: "AJO reporting (emulator)",
    ...stackConfig,
    ...adobeConfig(target, client),
  };
  return { ui, stack: { project, config, program: () => ajoCjaStack().outputs } };
}

/** examples/audiences-cja: plays AEP and the UI (audiences, profiles, profile dataset, connection, template) and returns the stack. */
export async function audiencesExample(
  target: EmulatorTarget,
  client: Record<string, string>,
  stackConfig: Record<string, string> = {},
): Promise<{ ui: AudiencesUiSetup; stack: StackUnderTest }> {
  const ui = await setUpAudiencesInEmulator(target.url, target.orgId);
  const { project, defaults } = projectOf("audiences-cja");
  const config = { ...defaults, ...emulatorStackConfig(ui), ...stackConfig, ...adobeConfig(target, client) };
  return { ui, stack: { project, config, program: () => audiencesCjaStack().outputs } };
}

/** Project config defaults from the example's Pulumi.yaml (the CLI applies them; here we do). Lists and objects as JSON, as the CLI stores them. */
export function projectConfigDefaults(projectFile: string): { project: string; defaults: Record<string, string> } {
  const doc = parseYaml(readFileSync(projectFile, "utf8")) as { name: string; config?: Record<string, { default?: unknown }> };
  const defaults: Record<string, string> = {};
  for (const [key, declared] of Object.entries(doc.config ?? {})) {
    if (declared && typeof declared === "object" && declared.default !== undefined) defaults[`${doc.name}:${key}`] = typeof declared.default === "string" ? declared.default : JSON.stringify(declared.default);
  }
  return { project: doc.name, defaults };
}
