/**
 * A rule's json-rules-engine conditions in words, as a Markdown list:
 * `all` / `any` / `not` become "all of" / "any of" / "not", each comparison
 * a sentence such as "`daysSinceJoined` is at least 4", and the element
 * conditions of `someElement` / `everyElement` nest under them. Every fact,
 * path and value is shown as code; nothing of the rule is written raw.
 */
import { codeSpan } from './doc.js';

type Node = Record<string, unknown>;

const PHRASES: Readonly<Record<string, string>> = {
  equal: 'is',
  notEqual: 'is not',
  in: 'is one of',
  notIn: 'is none of',
  contains: 'contains',
  doesNotContain: 'does not contain',
  lessThan: 'is less than',
  lessThanInclusive: 'is at most',
  greaterThan: 'is more than',
  greaterThanInclusive: 'is at least',
};

const ELEMENT_PHRASES: Readonly<Record<string, string>> = {
  someElement: 'has some element where',
  everyElement: 'has only elements where',
};

function isObject(v: unknown): v is Node {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A value as the sentence shows it: numbers plain, anything else as JSON code. */
function shown(value: unknown, operator: string): string {
  if (isObject(value) && typeof value.fact === 'string') {
    const path = typeof value.path === 'string' ? value.path.slice(1) : '';
    return `the value of ${codeSpan(`${value.fact}${path}`)}`;
  }
  if ((operator === 'in' || operator === 'notIn') && Array.isArray(value))
    return value.map((v) => shown(v, 'equal')).join(', ');
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return codeSpan(JSON.stringify(value) ?? 'undefined');
}

/** "`subject` is at least 4" (or the element list under it). */
function comparison(subject: string, node: Node, depth: number): string[] {
  const operator = String(node.operator);
  const element = ELEMENT_PHRASES[operator];
  if (element !== undefined)
    return [`${subject} ${element}:`, ...lines(node.value, depth + 1, 'the element')];
  const phrase = PHRASES[operator];
  return phrase === undefined
    ? [
        `${subject} satisfies the operator ${codeSpan(operator)} with ${shown(node.value, operator)}`,
      ]
    : [`${subject} ${phrase} ${shown(node.value, operator)}`];
}

function subjectOf(node: Node, base: string | undefined): string {
  const path = typeof node.path === 'string' ? node.path : undefined;
  if (base === undefined) return codeSpan(`${String(node.fact)}${path?.slice(1) ?? ''}`);
  if (path === undefined || path === '$') return base;
  return `${base}'s ${codeSpan(path.startsWith('$.') ? path.slice(2) : path.slice(1))}`;
}

/** Markdown list lines for `node` at `depth`; `base` names the element inside element conditions. */
function lines(node: unknown, depth: number, base?: string): string[] {
  const indent = '  '.repeat(depth);
  if (!isObject(node))
    return [`${indent}- (not a condition: ${codeSpan(JSON.stringify(node) ?? '')})`];
  for (const [key, words] of [
    ['all', 'all of'],
    ['any', 'any of'],
  ] as const) {
    const list = node[key];
    if (Array.isArray(list)) {
      if (list.length === 1) return lines(list[0], depth, base);
      return [`${indent}- ${words}:`, ...list.flatMap((c) => lines(c, depth + 1, base))];
    }
  }
  if (node.not !== undefined) return [`${indent}- not:`, ...lines(node.not, depth + 1, base)];
  const [first, ...rest] = comparison(subjectOf(node, base), node, depth);
  return [`${indent}- ${first ?? ''}`, ...rest];
}

/** The conditions of a rule in words: a Markdown list. */
export function conditionsInWords(conditions: unknown): string {
  return lines(conditions, 0).join('\n');
}
