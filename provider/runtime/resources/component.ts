/**
 * What Dimension and Metric share: find the component in its data view (by component id, or by
 * schema path narrowed by name), compare every declared setting with the live one, and report each
 * difference with the change to make in the Data View Manager.
 */
import { z } from "zod";
import { AdobeApiError, isNotFound } from "../../adobe/errors";
import { InputError } from "../resource-handler";
import { COMPONENT_PREFIX as PREFIX, liveComponents, schemaPathOf, type ComponentKind, type LiveComponent } from "../component-cache";
import { compare, enforce, warn, type Difference } from "../drift";
import { componentsIfDataView, noDataView } from "../live-checks";
import { isUnknown } from "../unknowns";
import { componentIdProblem, dataViewId, nonEmpty, objectName, onDrift } from "../schemas";

const NOUN: Record<ComponentKind, "dimension" | "metric"> = { dimensions: "dimension", metrics: "metric" };
const TYPE: Record<ComponentKind, string> = { dimensions: "cja:Dimension", metrics: "cja:Metric" };
const EXAMPLE: Record<ComponentKind, string> = { dimensions: "variables/daterangeday", metrics: "metrics/sends" };

export const includeExcludeInput = z.strictObject({
  match: z.enum(["any", "all"]).optional(),
  caseSensitive: z.boolean().optional(),
  rules: z
    .array(
      z.strictObject({
        clause: z.enum(["equals", "not-equals", "contains-phrase", "contains-any", "contains-all", "not-contains-phrase", "not-contains-any", "starts-with", "ends-with", "eq", "not-eq", "lt", "gt", "le", "ge"]),
        value: z.string(),
      }),
    )
    .min(1, "declare at least one rule"),
});

/**
 * A component id of `kind`, written with or without its prefix (`sends` → `metrics/sends`). An
 * unknown value (preview) is kept as it is, so it stays unknown.
 */
export function componentIdOf(kind: ComponentKind) {
  const wrongKind = kind === "dimensions" ? PREFIX.metrics : PREFIX.dimensions;
  return nonEmpty
    .superRefine((id, ctx) => {
      if (id === "" || isUnknown(id)) return;
      const problem = id.startsWith(wrongKind)
        ? `is a ${kind === "dimensions" ? "metric" : "dimension"} id (${wrongKind}...); a ${NOUN[kind]} id starts with ${PREFIX[kind]}`
        : componentIdProblem(NOUN[kind], PREFIX[kind], EXAMPLE[kind], id);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform((id) => (isUnknown(id) || id.startsWith(PREFIX[kind]) ? id : `${PREFIX[kind]}${id}`));
}

/** Inputs every component declares; `kind` decides which component id prefix is right. */
export function componentInputShape(kind: ComponentKind) {
  return {
    dataViewId: dataViewId,
    componentId: componentIdOf(kind).optional(),
    schemaPath: nonEmpty.optional(),
    name: objectName,
    description: z.string().optional(),
    contextLabels: z.array(nonEmpty).optional(),
    hidden: z.boolean().optional(),
    includeExclude: includeExcludeInput.optional(),
    onDrift,
  };
}

export function requireOneLocator(inputs: { componentId?: string; schemaPath?: string }, ctx: z.RefinementCtx): void {
  if (inputs.componentId === undefined && inputs.schemaPath === undefined) {
    ctx.addIssue({ code: "custom", path: ["componentId"], message: "give componentId or schemaPath" });
  }
}

export interface ComponentInputs {
  dataViewId: string;
  componentId?: string;
  schemaPath?: string;
  name: string;
  description?: string;
  contextLabels?: string[];
  hidden?: boolean;
  includeExclude?: z.infer<typeof includeExcludeInput>;
  onDrift: "fail" | "warn";
}

export interface ComponentOutputs {
  componentId: string;
  schemaPath: string;
  name: string;
  dataViewId: string;
}

/** The live component the inputs point at, or undefined when the data view has no such component. */
export async function findComponent(kind: ComponentKind, inputs: ComponentInputs): Promise<LiveComponent | undefined> {
  const live = await liveComponents(kind, inputs.dataViewId);
  if (inputs.componentId) return live.byId.get(inputs.componentId);
  const byPath = live.bySchemaPath.get(inputs.schemaPath ?? "") ?? [];
  if (byPath.length <= 1) return byPath[0];
  const byName = byPath.filter((c) => c.name === inputs.name);
  if (byName.length === 1) return byName[0];
  throw new Error(
    `${NOUN[kind]} "${inputs.name}": ${byPath.length} components of data view ${inputs.dataViewId} use ${inputs.schemaPath} (${byPath.map((c) => c.id).join(", ")}); give componentId.`,
  );
}

function notInDataView(kind: ComponentKind, inputs: ComponentInputs): string {
  const what = inputs.componentId ? `component id ${inputs.componentId}` : `schema field ${inputs.schemaPath}`;
  return (
    `data view ${inputs.dataViewId} has no ${NOUN[kind]} with ${what}. In the Data View Manager, add the schema field as a ${NOUN[kind]}` +
    `${inputs.componentId ? ` and set its Component ID to ${inputs.componentId}` : ""}; Adobe's API cannot add components.`
  );
}

/** The include/exclude setting in the resource's terms, or undefined when it is off. */
export function liveIncludeExclude(c: LiveComponent): ComponentInputs["includeExclude"] {
  const s = c.includeExcludeSetting;
  if (!s?.enabled) return undefined;
  return {
    match: s.match === "and" ? "all" : "any",
    caseSensitive: s.caseSensitive ?? undefined,
    rules: (s.rules ?? []).map((r) => ({ clause: (r.clause ?? "") as "equals", value: String(r.value ?? "") })),
  };
}

/** Differences in the settings every component has. */
export function commonDifferences(kind: ComponentKind, inputs: ComponentInputs, live: LiveComponent): Difference[] {
  const where = `In the Data View Manager, open the data view ${inputs.dataViewId}, select the ${NOUN[kind]} "${live.name}" (${live.id})`;
  const liveRules = liveIncludeExclude(live);
  const declaredRules = inputs.includeExclude;
  const rulesText = (rules: NonNullable<ComponentInputs["includeExclude"]>["rules"]) => rules.map((r) => `${r.clause} "${r.value}"`).join(", ");
  return [
    ...compare(
      "schemaPath",
      inputs.schemaPath,
      schemaPathOf(live),
      `In the Data View Manager, the ${NOUN[kind]} "${live.name}" (${live.id}) reads ${schemaPathOf(live) ?? "another field"}, and a component's schema field cannot be changed: remove it, add ${inputs.schemaPath} as a ${NOUN[kind]} and set its Component ID to ${live.id}.`,
    ),
    ...compare("name", inputs.name, live.name, `${where} and set Component name to "${inputs.name}".`),
    ...compare("description", inputs.description, live.description ?? "", `${where} and set Description.`),
    ...compare("hidden", inputs.hidden, live.hideFromReporting ?? false, `${where} and ${inputs.hidden ? "tick" : "untick"} "Hide component in reporting".`),
    ...(declaredRules
      ? [
          ...compare("includeExclude.rules", declaredRules.rules, liveRules?.rules, `${where}, tick "Set include/exclude values" and set the criteria to ${rulesText(declaredRules.rules)}.`),
          ...compare("includeExclude.match", declaredRules.match, liveRules?.match, `${where} and set Match to "If ${declaredRules.match} criteria are met".`),
          ...compare("includeExclude.caseSensitive", declaredRules.caseSensitive, liveRules?.caseSensitive, `${where} and ${declaredRules.caseSensitive ? "tick" : "untick"} "Case sensitive".`),
        ]
      : []),
  ];
}

/**
 * Verifies a component: finds it, compares the declared settings, enforces `onDrift`, and returns
 * the outputs: the live values of the declared settings, as `read` gives them, so that after an
 * `up` that only warned the state holds what Adobe holds, and the next preview and refresh show
 * the same drift. `extra` compares the settings only one kind has, `liveExtra` reads them.
 */
export async function adoptComponent<I extends ComponentInputs>(
  kind: ComponentKind,
  inputs: I,
  extra: (inputs: I, live: LiveComponent) => Difference[],
  liveExtra: (inputs: I, live: LiveComponent) => Partial<I>,
): Promise<ComponentOutputs & Partial<I>> {
  const wrong = (property: "dataViewId" | "componentId" | "schemaPath", reason: string) => new InputError(TYPE[kind], [{ property, reason }], inputs as Record<string, unknown>);
  if ((await componentsIfDataView(kind, inputs.dataViewId)) === undefined) throw wrong("dataViewId", noDataView(inputs.dataViewId));
  const locator = inputs.componentId ? "componentId" : "schemaPath";
  let live: LiveComponent | undefined;
  try {
    live = await findComponent(kind, inputs);
  } catch (error) {
    // Adobe's errors are the run's; the other one is "several components use this schema field".
    if (error instanceof AdobeApiError) throw error;
    throw wrong(locator, (error as Error).message);
  }
  if (!live) throw wrong(locator, notInDataView(kind, inputs));
  if (inputs.contextLabels) {
    warn(`${NOUN[kind]} "${inputs.name}" (${live.id}): Adobe's API does not expose context labels; check in the Data View Manager that it has ${inputs.contextLabels.map((l) => `"${l}"`).join(", ")}.`);
  }
  const differences = [...commonDifferences(kind, inputs, live), ...extra(inputs, live)];
  enforce(`${NOUN[kind]} "${inputs.name}" (${live.id}) of data view ${inputs.dataViewId}`, differences, inputs.onDrift);
  return {
    ...liveCommonSettings(inputs, live),
    ...liveExtra(inputs, live),
    componentId: live.id,
    schemaPath: schemaPathOf(live) ?? "",
    name: live.name ?? inputs.name,
    dataViewId: inputs.dataViewId,
  } as ComponentOutputs & Partial<I>;
}

/** Live values of the declared common settings, for `read` (refresh shows drift as a diff). */
export function liveCommonSettings(inputs: Partial<ComponentInputs>, live: LiveComponent): Partial<ComponentInputs> {
  const liveRules = liveIncludeExclude(live);
  return {
    name: live.name ?? inputs.name,
    ...(inputs.description !== undefined ? { description: live.description ?? "" } : {}),
    ...(inputs.hidden !== undefined ? { hidden: live.hideFromReporting ?? false } : {}),
    ...(inputs.includeExclude !== undefined
      ? {
          includeExclude: liveRules && {
            rules: liveRules.rules,
            ...(inputs.includeExclude.match !== undefined ? { match: liveRules.match } : {}),
            ...(inputs.includeExclude.caseSensitive !== undefined ? { caseSensitive: liveRules.caseSensitive } : {}),
          },
        }
      : {}),
  };
}

/** `read` for both kinds: undefined (gone) when the data view or the component no longer exists. */
export async function readComponent<I extends ComponentInputs>(
  kind: ComponentKind,
  outs: I & ComponentOutputs,
  liveExtra: (inputs: I, live: LiveComponent) => Partial<I>,
): Promise<(I & ComponentOutputs) | undefined> {
  let live: LiveComponent | undefined;
  try {
    live = await findComponent(kind, { ...outs, componentId: outs.componentId });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  if (!live) return undefined;
  return { ...outs, ...liveCommonSettings(outs, live), ...liveExtra(outs, live), componentId: live.id, schemaPath: schemaPathOf(live) ?? outs.schemaPath };
}
