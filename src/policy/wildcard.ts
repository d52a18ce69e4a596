/** IAM wildcard matching: `*` any run of characters, `?` exactly one, everything else literal. */

/**
 * Private-use characters that stand for a literal `*` / `?` in a pattern (from
 * `${*}`, `${?}` or a substituted policy variable), so they never act as wildcards.
 */
export const LITERAL_STAR = '\uE000';
export const LITERAL_QUESTION = '\uE001';

/** The pattern's text with literal markers turned back into `*` and `?`. */
export function unmark(s: string): string {
  return s.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?');
}

const cache = new Map<string, RegExp>();

function compile(pattern: string, ignoreCase: boolean): RegExp {
  const cacheKey = (ignoreCase ? 'i' : 's') + pattern;
  let re = cache.get(cacheKey);
  if (re === undefined) {
    let src = '';
    for (const ch of pattern) {
      if (ch === '*') src += '.*';
      else if (ch === '?') src += '.';
      else if (ch === LITERAL_STAR) src += '\\*';
      else if (ch === LITERAL_QUESTION) src += '\\?';
      else src += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
    re = new RegExp(`^${src}$`, ignoreCase ? 'is' : 's');
    // The patterns come from a bounded set of policies; the cap only guards against misuse.
    if (cache.size > 10_000) cache.clear();
    cache.set(cacheKey, re);
  }
  return re;
}

/** Whether `value` matches the IAM wildcard `pattern` (which may hold literal markers). */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    const text = unmark(pattern);
    return ignoreCase ? text.toLowerCase() === value.toLowerCase() : text === value;
  }
  return compile(pattern, ignoreCase).test(value);
}
