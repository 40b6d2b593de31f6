/**
 * The reports for the municipality and the content editors (see definitions.ts): indicators,
 * unanswered questions, their CSV forms.
 * @module
 */
export {
  APPLICATION_FLOW, APPLICATION_GUIDE, CONVERSATION_GAP_MINUTES, E_INVOICE_FLOW, E_INVOICE_GUIDE, LOW_CONFIDENCE, SIMILARITY, TIME_ZONE,
  type ReportDb, type ReportPeriod,
} from "./definitions.js";
export { computeIndicators, type Durations, type FlowUse, type GuideUse, type Indicators, type KeyCount, type WeekFigures } from "./indicators.js";
export { computeIndicatorsFromTurns } from "./indicators-raw.js";
export { beforeRetention, refreshReportAggregates, type RefreshResult } from "./aggregates.js";
export { groupQuestions, groupWordings, type Occurrence, type UnansweredGroup, type UnansweredReason, type WordingCount } from "./grouping.js";
export { unansweredReport, type UnansweredOptions } from "./unanswered.js";
export { unansweredReportFromOccurrences } from "./unanswered-raw.js";
export { indicatorsToCsv, unansweredToCsv } from "./csv.js";
export { maskContacts } from "../../core/privacy.js";
