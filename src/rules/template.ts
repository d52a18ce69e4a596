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
  let cur: unknown = root;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
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

/**
 * Renders a template against a scope. A missing value renders as `?` rather
 * than failing: messages explain, they never decide.
 */
export function renderTemplate(template: string, scope: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (_m, path: string, filter: string | undefined) =>
    applyFilter(getPath(scope, path), filter).replace(/[\r\n\u2028\u2029\u0085\v\f]+/g, ' '),
  );
}
