/**
 * The stable key order of report.json: the order the schema lists an object's
 * properties (so the file reads top-down like the contract), then any other
 * key sorted; free-form objects (evidence) are sorted recursively. The same
 * report therefore always serialises to the same bytes, whatever order it
 * was built in.
 *
 * The schema is compiled once into plans (one per schema node), and a value
 * that is already in order is returned as it is: the engine builds results
 * in contract order, so writing 10,000 accounts copies almost nothing (a
 * copy of every object was a second report's worth of garbage).
 */

type SchemaNode = Record<string, unknown>;

interface Plan {
  /** The schema's properties in order, with the plan of each. */
  readonly keys: readonly string[];
  /** Each listed property's position in `keys`. */
  readonly index: ReadonlyMap<string, number>;
  readonly props: ReadonlyMap<string, Plan | undefined>;
  /** The plan of keys the schema does not list (undefined: free-form, sorted). */
  readonly additional: Plan | undefined;
  /** The plan of array items. */
  readonly items: Plan | undefined;
}

/** Resolves a local `$ref` (`#/$defs/x`). */
function deref(root: SchemaNode, node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let hops = 0; typeof current?.$ref === 'string' && hops < 32; hops++) {
    let target: unknown = root;
    for (const part of current.$ref.replace(/^#\//, '').split('/')) {
      target = (target as SchemaNode | undefined)?.[part];
    }
    current = target as SchemaNode | undefined;
  }
  return current;
}

/** Compiles the plans of a schema; recursive schemas share their plans. */
export function compileOrder(root: SchemaNode): Plan | undefined {
  const plans = new Map<SchemaNode, Plan>();
  const compile = (node: SchemaNode | undefined): Plan | undefined => {
    const schema = deref(root, node);
    if (schema === undefined) return undefined;
    const known = plans.get(schema);
    if (known !== undefined) return known;
    const props = new Map<string, Plan | undefined>();
    const keys = Object.keys(schema.properties ?? {});
    const plan: Plan = {
      keys,
      index: new Map(keys.map((k, i) => [k, i])),
      props,
      additional: undefined,
      items: undefined,
    };
    plans.set(schema, plan);
    const mutable = plan as { additional: Plan | undefined; items: Plan | undefined };
    for (const [k, sub] of Object.entries((schema.properties ?? {}) as Record<string, SchemaNode>))
      props.set(k, compile(sub));
    if (typeof schema.additionalProperties === 'object')
      mutable.additional = compile(schema.additionalProperties as SchemaNode);
    if (typeof schema.items === 'object') mutable.items = compile(schema.items as SchemaNode);
    return plan;
  };
  return compile(root);
}

function orderedArray(value: readonly unknown[], plan: Plan | undefined): readonly unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    const o = ordered(v, plan?.items);
    if (o !== v && out === undefined) out = value.slice(0, i);
    if (out !== undefined) out.push(o);
  }
  return out ?? value;
}

/** The keys of `obj` in report order (undefined values left out). */
function keyOrder(obj: Record<string, unknown>, plan: Plan | undefined): string[] {
  const own = Object.keys(obj);
  const known = plan?.keys.filter((k) => obj[k] !== undefined) ?? [];
  const rest = own.filter((k) => !plan?.props.has(k) && obj[k] !== undefined).sort();
  return known.length === 0 ? rest : rest.length === 0 ? known : [...known, ...rest];
}

/**
 * `obj` in report order: one walk decides whether its keys are in order and orders each
 * value once; the object itself comes back when nothing moved (the common case: the
 * engine builds results in order), else a copy with the ordered values.
 */
function orderedObject(obj: Record<string, unknown>, plan: Plan | undefined): unknown {
  let inOrder = true;
  let lastKnown = -1;
  let lastRest: string | undefined;
  let changed: Map<string, unknown> | undefined;
  // for-in, not Object.keys: no array per object (1.2 million objects at 10,000
  // accounts). An inherited key it might meet is harmless: the copy below takes
  // own keys only, and JSON.stringify ignores inherited ones.
  for (const k in obj) {
    const v = obj[k];
    if (v === undefined) {
      inOrder = false;
      continue;
    }
    const at = plan?.index.get(k);
    if (at !== undefined) {
      if (lastRest !== undefined || at < lastKnown) inOrder = false;
      lastKnown = at;
    } else {
      if (lastRest !== undefined && k < lastRest) inOrder = false;
      lastRest = k;
    }
    const o = ordered(v, at !== undefined ? plan?.props.get(k) : plan?.additional);
    if (o !== v) (changed ??= new Map()).set(k, o);
  }
  if (inOrder && changed === undefined) return obj;
  const out: Record<string, unknown> = {};
  for (const k of keyOrder(obj, plan)) {
    const value = changed?.has(k) === true ? changed.get(k) : obj[k];
    // A key "__proto__" (JSON.parse makes it an own key) must stay a key, not
    // become the copy's prototype: only defineProperty says so.
    if (k === '__proto__')
      Object.defineProperty(out, k, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[k] = value;
  }
  return out;
}

/**
 * `value` with every object's keys in report order: the value itself where it
 * already is (no copy), else a copy of only what is out of order.
 */
export function ordered(value: unknown, plan: Plan | undefined): unknown {
  if (Array.isArray(value)) return orderedArray(value, plan);
  if (value === null || typeof value !== 'object') return value;
  return orderedObject(value as Record<string, unknown>, plan);
}

export type { Plan as OrderPlan };
