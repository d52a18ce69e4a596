/**
 * What report.sarif is checked against: the official SARIF 2.1.0 schema
 * (test/fixtures/sarif/, draft-07, compiled with ajv's draft-07 class) and
 * GitHub code scanning's ingestion rules ("SARIF support for code scanning",
 * docs.github.com), written down as a small checker.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Log } from 'sarif';

export const SCHEMA_PATH = new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url);

let compiled: ValidateFunction | undefined;

/** The official schema, compiled once (it is large). */
export function sarifSchemaValidator(): ValidateFunction {
  if (compiled !== undefined) return compiled;
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
    addFormatsModule) as unknown as (ajv: Ajv) => void;
  // strict off: the schema uses keywords ajv's strict mode rejects (e.g. `default` beside `$ref`).
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  compiled = ajv.compile(schema);
  return compiled;
}

/** GitHub's hard limits (a file over any of them is rejected). */
export const GITHUB = {
  runsPerFile: 20,
  resultsPerRun: 25_000,
  rulesPerRun: 25_000,
  extensionsPerRun: 100,
  locationsPerResult: 1_000,
  tagsPerRule: 20,
  ruleName: 255,
  description: 1024,
} as const;

const LEVELS = new Set(['none', 'note', 'warning', 'error']);

type Problems = string[];

function checkRules(run: Log['runs'][number], at: string, problems: Problems): void {
  const rules = run.tool.driver.rules ?? [];
  if (rules.length > GITHUB.rulesPerRun) problems.push(`${at}: ${rules.length} rules`);
  rules.forEach((rule, j) => {
    const r = `${at}/tool/driver/rules/${j}`;
    const props = rule.properties ?? {};
    const tags = props.tags as unknown;
    if (!Array.isArray(tags) || tags.length === 0) problems.push(`${r}: no properties.tags`);
    else if (tags.length > GITHUB.tagsPerRule) problems.push(`${r}: ${tags.length} tags`);
    else if (!tags.every((t) => typeof t === 'string'))
      problems.push(`${r}: a tag is not a string`);
    const sev = props['security-severity'] as unknown;
    if (typeof sev !== 'string' || !/^\d+(\.\d+)?$/.test(sev)) {
      problems.push(`${r}: security-severity ${JSON.stringify(sev)} is not a numeric string`);
    } else if (!(Number(sev) > 0 && Number(sev) <= 10)) {
      problems.push(`${r}: security-severity ${sev} outside (0, 10]`);
    }
    if (typeof rule.help?.markdown !== 'string' || rule.help.markdown === '') {
      problems.push(`${r}: no help.markdown`);
    }
    if (typeof rule.help?.text !== 'string' || rule.help.text === '') {
      problems.push(`${r}: no help.text`);
    }
    const level = rule.defaultConfiguration?.level;
    if (level === undefined || !['note', 'warning', 'error'].includes(level)) {
      problems.push(`${r}: defaultConfiguration.level ${String(level)}`);
    }
    if ((rule.name ?? '').length > GITHUB.ruleName) problems.push(`${r}: name too long`);
    for (const d of ['shortDescription', 'fullDescription'] as const) {
      const text = rule[d]?.text ?? '';
      if (text === '' || text.length > GITHUB.description) problems.push(`${r}: ${d} length`);
    }
  });
}

function checkResults(run: Log['runs'][number], at: string, problems: Problems): void {
  const rules = run.tool.driver.rules ?? [];
  const results = run.results ?? [];
  if (results.length > GITHUB.resultsPerRun) problems.push(`${at}: ${results.length} results`);
  results.forEach((result, j) => {
    const r = `${at}/results/${j}`;
    const locations = result.locations ?? [];
    if (locations.length === 0) problems.push(`${r}: expected at least one location`);
    if (locations.length > GITHUB.locationsPerResult) problems.push(`${r}: too many locations`);
    const physical = locations[0]?.physicalLocation;
    const uri = physical?.artifactLocation?.uri;
    if (typeof uri !== 'string' || uri === '') problems.push(`${r}: expected artifact location`);
    const line = physical?.region?.startLine;
    if (!Number.isInteger(line) || (line as number) < 1) problems.push(`${r}: region.startLine`);
    if (result.message.text === undefined || result.message.text === '') {
      problems.push(`${r}: no message.text`);
    }
    if (result.ruleIndex === undefined || rules[result.ruleIndex]?.id !== result.ruleId) {
      problems.push(`${r}: ruleIndex does not name ruleId ${String(result.ruleId)}`);
    }
    if (result.level !== undefined && !LEVELS.has(result.level)) problems.push(`${r}: level`);
    // SARIF §3.27.10: a result whose kind is not "fail" has level "none".
    if ((result.kind ?? 'fail') !== 'fail' && (result.level ?? 'none') !== 'none') {
      problems.push(`${r}: kind ${String(result.kind)} with level ${String(result.level)}`);
    }
    if (typeof result.partialFingerprints?.primaryLocationLineHash !== 'string') {
      problems.push(`${r}: no partialFingerprints.primaryLocationLineHash`);
    }
  });
}

/** Every way `log` breaks GitHub's ingestion rules, as `path: problem` lines (empty: accepted). */
export function githubProblems(log: Log): string[] {
  const problems: Problems = [];
  if (log.version !== '2.1.0') problems.push(`/version: ${String(log.version)}`);
  if (log.runs.length > GITHUB.runsPerFile) problems.push(`/runs: ${log.runs.length} runs`);
  const ids = new Set<string>();
  const categories = new Set<string>();
  log.runs.forEach((run, i) => {
    const at = `/runs/${i}`;
    if (run.tool.driver.name === '') problems.push(`${at}: no tool.driver.name`);
    if ((run.tool.extensions ?? []).length > GITHUB.extensionsPerRun) {
      problems.push(`${at}: ${run.tool.extensions!.length} tool extensions`);
    }
    // Two runs of one tool in one file must differ in category (rejected since July 2025).
    const id = run.automationDetails?.id;
    if (log.runs.length > 1 && id === undefined) problems.push(`${at}: no automationDetails.id`);
    if (id !== undefined) {
      const category = id.includes('/') ? id.slice(0, id.lastIndexOf('/')) : '';
      if (ids.has(id)) problems.push(`${at}: automationDetails.id ${id} repeated`);
      if (categories.has(category)) problems.push(`${at}: category ${category} repeated`);
      ids.add(id);
      categories.add(category);
    }
    checkRules(run, at, problems);
    checkResults(run, at, problems);
  });
  return problems;
}
