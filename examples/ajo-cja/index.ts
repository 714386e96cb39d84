/**
 * Pulumi program: Adobe Journey Optimizer data in Customer Journey Analytics, as Adobe's guide
 * sets it up. See README.md for what it makes and what to do first in the Adobe UI.
 */
import { ajoCjaStack } from "./stack";

const stack = ajoCjaStack();

/** The adopted connection (`dg_...`). */
export const connectionId = stack.outputs.connectionId;
/** The data view the stack made (`dv_...`). */
export const dataViewId = stack.outputs.dataViewId;
/** Dataset id by dataset name, for every dataset of the connection. */
export const datasetIds = stack.outputs.datasetIds;
/** Component id of each of the guide's dimensions, by name. */
export const dimensionIds = stack.outputs.dimensionIds;
/** Component id of each of the guide's metrics, by name. */
export const metricIds = stack.outputs.metricIds;
/** Id of each calculated metric, by name. */
export const calculatedMetricIds = stack.outputs.calculatedMetricIds;
/** Id of each filter, by name (beyond the guide: `Email channel`). */
export const filterIds = stack.outputs.filterIds;
