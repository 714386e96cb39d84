/**
 * The CJA part of the emulator (cja.adobe.io): connections, data views, their dimensions and
 * metrics, calculated metrics, filters (segments), date ranges, their shares and tags, and the admin routes that play the person at the Adobe UI.
 */
import type { RouteDef } from "../types";
import { cjaAdminRoutes } from "./admin";
import { calculatedMetricRoutes } from "./calculated-metrics";
import { calculatedMetricFunctionRoutes } from "./calculated-metric-functions";
import { componentMetadataRoutes } from "./component-metadata";
import { componentRoutes } from "./components";
import { connectionRoutes } from "./connections";
import { dataViewRoutes } from "./dataviews";
import { dateRangeRoutes } from "./date-ranges";
import { segmentRoutes } from "./segments";

export const cjaRoutes: RouteDef[] = [...connectionRoutes, ...dataViewRoutes, ...componentRoutes, ...calculatedMetricFunctionRoutes, ...calculatedMetricRoutes, ...segmentRoutes, ...dateRangeRoutes, ...componentMetadataRoutes, ...cjaAdminRoutes];
