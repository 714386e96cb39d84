/**
 * The AJO → CJA stack of Adobe's guide: the connection over the five AJO datasets (adopted and
 * verified), a data view copied from the template configured in the Data View Manager, its 13
 * dimensions and 9 metrics (verified setting by setting) and the guide's two calculated metrics
 * (created and managed); beyond the guide, a filter of the email channel and the email channel's
 * sends as a filtered calculated metric, the calculated metrics and the filter shared with a group
 * set in stack config.
 */
import * as pulumi from "@pulumi/pulumi";
import { CalculatedMetric, Connection, DataView, Dimension, Filter, Metric, type ComponentShareArgs, type OnDrift } from "pulumi-adobe-cja";
import { EMAIL_CHANNEL_ID, EMAIL_FILTER, EMAIL_SENDS } from "./beyond-guide";
import { AJO_CALCULATED_METRICS, AJO_DATASETS, AJO_DIMENSIONS, AJO_METRICS, formulaMetricNames, resourceName } from "./guide";

/** The stack's own settings (project config namespace `ajo-cja`). */
export interface AjoCjaSettings {
  /** Name of the connection made in CJA (adopted by name). Give this or `connectionId`. */
  connectionName?: string;
  /** Id (`dg_...`) of the connection; wins over `connectionName`. */
  connectionId?: string;
  /** Id (`dv_...`) of the template data view configured in the Data View Manager. */
  templateDataViewId: string;
  /** Name of the data view the stack makes. */
  dataViewName: string;
  /** Time zone of the data view, e.g. `US/Mountain`. */
  timezone: string;
  /** What a difference between the guide and the live configuration does. */
  onDrift: OnDrift;
  /**
   * Numeric id of the Admin Console user group (or product profile) the calculated metrics and the
   * filter are shared with. Unset, the stack manages no shares: what the UI shares stays.
   */
  shareWithGroupId?: string;
}

/** Reads {@link AjoCjaSettings} from the stack config. */
export function readSettings(config: pulumi.Config = new pulumi.Config()): AjoCjaSettings {
  const connectionId = config.get("connectionId") || undefined;
  const connectionName = config.get("connectionName") || undefined;
  if (!connectionId && !connectionName) throw new Error("Set ajo-cja:connectionName (or ajo-cja:connectionId): the connection made in CJA for the AJO datasets.");
  const onDrift = config.get("onDrift") || "fail";
  if (onDrift !== "fail" && onDrift !== "warn") throw new Error(`ajo-cja:onDrift must be "fail" or "warn", got "${onDrift}"`);
  const shareWithGroupId = config.get("shareWithGroupId") || undefined;
  if (shareWithGroupId !== undefined && !/^[0-9]+$/.test(shareWithGroupId)) {
    throw new Error(`ajo-cja:shareWithGroupId must be the numeric id of an Admin Console user group, got "${shareWithGroupId}"`);
  }
  return {
    connectionId,
    connectionName: connectionId ? undefined : connectionName,
    templateDataViewId: config.require("templateDataViewId"),
    dataViewName: config.require("dataViewName"),
    timezone: config.get("timezone") || "US/Mountain",
    onDrift,
    shareWithGroupId,
  };
}

/** What the stack makes, by guide name. */
export interface AjoCjaStack {
  connection: Connection;
  dataView: DataView;
  dimensions: Record<string, Dimension>;
  metrics: Record<string, Metric>;
  /** The guide's calculated metrics and, beyond the guide, `Email Sends`. */
  calculatedMetrics: Record<string, CalculatedMetric>;
  /** Beyond the guide: the email channel's events. */
  emailFilter: Filter;
  /** The stack outputs `index.ts` exports. */
  outputs: {
    connectionId: pulumi.Output<string>;
    dataViewId: pulumi.Output<string>;
    datasetIds: pulumi.Output<Record<string, string>>;
    dimensionIds: pulumi.Output<Record<string, string>>;
    metricIds: pulumi.Output<Record<string, string>>;
    calculatedMetricIds: pulumi.Output<Record<string, string>>;
    filterIds: pulumi.Output<Record<string, string>>;
  };
}

/** `{ name: output }` → `Output<{ name: value }>`. */
function outputsByName<T extends pulumi.Resource>(resources: Record<string, T>, pick: (r: T) => pulumi.Output<string>): pulumi.Output<Record<string, string>> {
  return pulumi.all(Object.fromEntries(Object.entries(resources).map(([name, r]) => [name, pick(r)]))) as pulumi.Output<Record<string, string>>;
}

function metricOf(metrics: Record<string, Metric>, name: string, calculatedMetric: string): Metric {
  const metric = metrics[name];
  if (!metric) throw new Error(`Calculated metric "${calculatedMetric}" uses [${name}], which is not one of the guide's metrics.`);
  return metric;
}

/** Declares the guide's objects. */
export function ajoCjaStack(settings: AjoCjaSettings = readSettings()): AjoCjaStack {
  const { onDrift } = settings;

  const connection = new Connection("ajo", {
    ...(settings.connectionId ? { connectionId: settings.connectionId } : { name: settings.connectionName }),
    datasets: AJO_DATASETS.map((ds) => ({
      name: ds.name,
      type: ds.type,
      personIdField: ds.personIdField,
      key: ds.key,
      matchingKey: ds.matchingKey,
    })),
    onDrift,
  });

  const dataView = new DataView("ajo", {
    name: settings.dataViewName,
    description: "Journey Optimizer data: Adobe's AJO to CJA guide, managed by Pulumi.",
    connectionId: connection.connectionId,
    timezone: settings.timezone,
    copyFrom: settings.templateDataViewId,
    // Checked against the template before it is copied, so a component missing from it stops the preview
    // (dimensions by their default Component ID, as the README's template steps leave them).
    requiredComponents: [...AJO_DIMENSIONS.map((d) => `variables/${d.schemaPath}`), ...AJO_METRICS.map((m) => m.componentId)],
  });

  const dimensions = Object.fromEntries(
    AJO_DIMENSIONS.map((d) => [
      d.name,
      new Dimension(resourceName(d.name), {
        dataViewId: dataView.dataViewId,
        name: d.name,
        schemaPath: d.schemaPath,
        contextLabels: d.contextLabels,
        onDrift,
      }),
    ]),
  );

  const metrics = Object.fromEntries(
    AJO_METRICS.map((m) => [
      m.name,
      new Metric(resourceName(m.name), {
        dataViewId: dataView.dataViewId,
        name: m.name,
        description: m.description,
        schemaPath: m.schemaPath,
        componentId: m.componentId,
        includeExclude: m.includeExclude,
        onDrift,
      }),
    ]),
  );

  const shares: ComponentShareArgs[] | undefined = settings.shareWithGroupId ? [{ type: "group", id: Number(settings.shareWithGroupId) }] : undefined;
  const metricsOf = (formula: string, calculatedMetric: string) =>
    Object.fromEntries(formulaMetricNames(formula).map((name) => [name, metricOf(metrics, name, calculatedMetric).componentId]));

  const calculatedMetrics: Record<string, CalculatedMetric> = Object.fromEntries(
    AJO_CALCULATED_METRICS.map((c) => [
      c.name,
      new CalculatedMetric(resourceName(c.name), {
        dataViewId: dataView.dataViewId,
        name: c.name,
        description: c.description,
        formula: c.formula,
        metrics: metricsOf(c.formula, c.name),
        shares,
      }),
    ]),
  );

  const emailFilter = new Filter(resourceName(EMAIL_FILTER.name), {
    dataViewId: dataView.dataViewId,
    name: EMAIL_FILTER.name,
    description: EMAIL_FILTER.description,
    definition: { context: "event", rules: [{ dimension: dimensions[EMAIL_FILTER.dimension].componentId, equals: EMAIL_CHANNEL_ID }] },
    shares,
  });
  calculatedMetrics[EMAIL_SENDS.name] = new CalculatedMetric(resourceName(EMAIL_SENDS.name), {
    dataViewId: dataView.dataViewId,
    name: EMAIL_SENDS.name,
    description: EMAIL_SENDS.description,
    formula: EMAIL_SENDS.formula,
    metrics: metricsOf(EMAIL_SENDS.formula, EMAIL_SENDS.name),
    filters: { [EMAIL_FILTER.name]: emailFilter.filterId },
    shares,
  });

  return {
    connection,
    dataView,
    dimensions,
    metrics,
    calculatedMetrics,
    emailFilter,
    outputs: {
      connectionId: connection.connectionId,
      dataViewId: dataView.dataViewId,
      datasetIds: connection.datasetIds,
      dimensionIds: outputsByName(dimensions, (d) => d.componentId),
      metricIds: outputsByName(metrics, (m) => m.componentId),
      calculatedMetricIds: outputsByName(calculatedMetrics, (c) => c.calculatedMetricId),
      filterIds: outputsByName({ [EMAIL_FILTER.name]: emailFilter }, (f) => f.filterId),
    },
  };
}
