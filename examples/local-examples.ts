/**
 * The examples `npm run example -- <name>` (examples/run-local.ts) runs besides ajo-cja: each plays
 * the Adobe UI's part on the emulator and says which stack config and program to run against it.
 */
import { existsSync } from "fs";
import * as path from "path";
import { describeSetup, setUpAudiencesExample } from "./audiences-cja/emulator-setup";
import { audiencesCjaStack } from "./audiences-cja/stack";

/** An example ready to run against the emulator. */
export interface PreparedExample {
  /** The example's folder (with its Pulumi.yaml, whose config defaults the runner applies). */
  dir: string;
  /** The example's own stack config (`<project>:<key>`), on top of the defaults. */
  stackConfig: Record<string, string>;
  /** The program: declares the resources, returns the stack outputs. */
  program: () => unknown;
}

/** Plays the Adobe UI for org `org` on the emulator at `url`, prints what it made, and prepares the run. */
export type PrepareExample = (url: string, org: string) => Promise<PreparedExample>;

/** The example's folder in the source tree, from here or from the compiled copy in dist/examples. */
function exampleDir(name: string): string {
  const dir = [path.join(__dirname, name), path.resolve(__dirname, "..", "..", "examples", name)].find((d) => existsSync(path.join(d, "Pulumi.yaml")));
  if (!dir) throw new Error(`examples/${name}/Pulumi.yaml not found`);
  return dir;
}

export const OTHER_EXAMPLES: Readonly<Record<string, PrepareExample>> = {
  "audiences-cja": async (url, org) => {
    const { ui, config } = await setUpAudiencesExample(url, org);
    console.log(`The Adobe UI's part (emulator admin routes), org ${org}:`);
    for (const line of describeSetup(ui)) console.log(line);
    return { dir: exampleDir("audiences-cja"), stackConfig: config, program: () => audiencesCjaStack().outputs };
  },
};
