/**
 * The repository's programs ready to run against an emulator: each plays the Adobe UI's part for
 * an org (the emulator's admin routes) and gives the stack config that points the program at what
 * it made. Used by `npm run example`, the benchmark, the soak and the real-CLI suite.
 */
import { setUpAudiencesExample } from "../examples/audiences-cja/emulator-setup";
import { setUpAjoInEmulator } from "../examples/ajo-cja/ui-setup";
import { PROGRAMS, type ProgramSource } from "./workspace";

export type ProgramName = keyof typeof PROGRAMS;

export interface PreparedStack {
  program: ProgramSource;
  /** Stack config besides the `adobe:` settings (`<namespace>:<key>`), lists as JSON. */
  config: Record<string, string>;
  /** What the Adobe UI's part made, one line each. */
  made: string[];
}

async function ajo(url: string, org: string, dataViewName: string): Promise<Omit<PreparedStack, "program">> {
  const ui = await setUpAjoInEmulator(url, org);
  return {
    config: {
      "ajo-cja:connectionName": ui.connectionName,
      "ajo-cja:templateDataViewId": ui.templateDataViewId,
      "ajo-cja:dataViewName": dataViewName,
      "ajo-cja:shareWithGroupId": ui.analystGroupId,
    },
    made: [`connection "${ui.connectionName}" (${ui.connectionId}), template data view "${ui.templateDataViewName}" (${ui.templateDataViewId})`],
  };
}

async function audiences(url: string, org: string): Promise<Omit<PreparedStack, "program">> {
  const { ui, config } = await setUpAudiencesExample(url, org);
  return {
    config,
    made: [`${ui.audiences.length} audiences, profile dataset "${ui.profileDatasetName}", connection "${ui.connectionName}", template data view ${ui.templateDataViewId}`],
  };
}

/** Plays the Adobe UI's part of `name` on the emulator at `url` for `org`. */
export async function prepareStack(name: ProgramName, url: string, org: string): Promise<PreparedStack> {
  switch (name) {
    case "ajo-cja":
      return { program: PROGRAMS["ajo-cja"], ...(await ajo(url, org, "AJO reporting (emulator)")) };
    case "audiences-cja":
      return { program: PROGRAMS["audiences-cja"], ...(await audiences(url, org)) };
    case "root": {
      const a = await ajo(url, org, "AJO reporting (emulator)");
      const b = await audiences(url, org);
      return { program: PROGRAMS.root, config: { ...a.config, ...b.config }, made: [...a.made, ...b.made] };
    }
  }
}
