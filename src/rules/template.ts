/**
 * One-line message templates for rule results: `{{path}}` and `{{path|filter}}`.
 * Values come from facts (never evaluated as code); the output is plain text
 * that every report format escapes for its own syntax.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_$][\w$]*(?:\.[\w$]+)*)\s*(?:\|\s*([a-z0-9]+)\s*)?\}\}/g;

export const TEMPLATE_FILTERS = ['date', 'fixed1', 'lower', 'join', 'count'] as const;

export interface TemplateRef {
  path: string;
  filter: string | undefined;
}

/** Every placeholder in a template (for load-time checks). */
export function templateRefs(template: string): TemplateRef[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => ({ path: m[1] ?? '', filter: m[2] }));
}

/** Resolves a dotted path in a plain object; undefined when any step is missing. */
export function getPath(root: unknown, path: string): unknown {
  return valueAt(root, path.split('.'));
}

function plain(value: unknown): string {
  if (value === undefined) return '?';
  if (value === null) return 'none';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(plain).join(', ');
  return JSON.stringify(value);
}

function applyFilter(value: unknown, filter: string | undefined): string {
  switch (filter) {
    case undefined:
      return plain(value);
    case 'date': {
      if (typeof value !== 'string') return plain(value);
      const t = Date.parse(value);
      return Number.isNaN(t) ? value : new Date(t).toISOString().slice(0, 10);
    }
    case 'fixed1':
      return typeof value === 'number' ? (Math.floor(value * 10) / 10).toFixed(1) : plain(value);
    case 'lower':
      return plain(value).toLowerCase();
    case 'join':
      return Array.isArray(value) ? value.map(plain).join(', ') : plain(value);
    case 'count':
      return Array.isArray(value) ? String(value.length) : plain(value);
    default:
      return plain(value);
  }
}

/** A template cut at its placeholders: literal text, then placeholder, literal, … */
interface Compiled {
  literals: string[];
  refs: { keys: string[]; filter: string | undefined }[];
}

const COMPILED = new Map<string, Compiled>();
const COMPILED_MAX = 10_000;

function compiled(template: string): Compiled {
  let c = COMPILED.get(template);
  if (c === undefined) {
    c = { literals: [], refs: [] };
    let from = 0;
    for (const m of template.matchAll(PLACEHOLDER)) {
      c.literals.push(template.slice(from, m.index));
      c.refs.push({ keys: (m[1] ?? '').split('.'), filter: m[2] });
      from = m.index + m[0].length;
    }
    c.literals.push(template.slice(from));
    if (COMPILED.size >= COMPILED_MAX) COMPILED.clear();
    COMPILED.set(template, c);
  }
  return c;
}

function valueAt(root: unknown, keys: readonly string[]): unknown {
  let cur: unknown = root;
  for (const key of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * Renders a template against a scope. A missing value renders as `?` rather
 * than failing: messages explain, they never decide. Each template is parsed
 * once.
 */
export function renderTemplate(template: string, scope: Record<string, unknown>): string {
  const { literals, refs } = compiled(template);
  let out = literals[0]!;
  for (let i = 0; i < refs.length; i++) {
    const { keys, filter } = refs[i]!;
    out +=
      applyFilter(valueAt(scope, keys), filter).replace(/[\r\n\u2028\u2029\u0085\v\f]+/g, ' ') +
      literals[i + 1]!;
  }
  return out;
}
