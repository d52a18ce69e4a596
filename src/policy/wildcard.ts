/** IAM wildcard matching: `*` any run of characters, `?` exactly one, everything else literal. */

const cache = new Map<string, RegExp>();

function compile(pattern: string, ignoreCase: boolean): RegExp {
  const cacheKey = (ignoreCase ? 'i' : 's') + pattern;
  let re = cache.get(cacheKey);
  if (re === undefined) {
    let src = '';
    for (const ch of pattern) {
      if (ch === '*') src += '.*';
      else if (ch === '?') src += '.';
      else src += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
    re = new RegExp(`^${src}$`, ignoreCase ? 'is' : 's');
    // The patterns come from a bounded set of policies; the cap only guards against misuse.
    if (cache.size > 10_000) cache.clear();
    cache.set(cacheKey, re);
  }
  return re;
}

/** Whether `value` matches the IAM wildcard `pattern`. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  return compile(pattern, ignoreCase).test(value);
}
