/**
 * Reports: pure producers `Report -> string` for every format, plus the one
 * effectful step that writes them atomically.
 */
export type * from './types.js';
export { renderJson, assertValidReport, validateReport, loadReportFile } from './json.js';
export { verdictOf, overallVerdict, exitCodeFor, countWarnings } from '../gate/verdict.js';
export { renderHtml, type HtmlOptions } from './html.js';
export { renderJunit } from './junit.js';
export { renderSarif, toSarif } from './sarif.js';
export { renderMarkdown, type MarkdownOptions } from './markdown.js';
export { ruleStats, sortedAccounts, type RuleStats } from './aggregate.js';
export { escapeHtml, escapeMarkdown, jsonForScript } from './escape.js';
export {
  writeReports,
  renderReport,
  isReportFormat,
  REPORT_FORMATS,
  REPORT_FILES,
  type ReportFormat,
  type WriteReportsOptions,
} from './write.js';
