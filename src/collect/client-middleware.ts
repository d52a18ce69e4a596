/**
 * What the client pool adds to every SDK client it builds: a count of every
 * attempt per `service:Operation`, and the call limits (src/collect/call-limits.ts).
 * Both sit at the deserialize step, which runs once per attempt inside the
 * SDK's retry loop: retries are counted as the calls AWS received, and a call
 * waiting out a back-off holds no slot of its pool.
 */
import type { CallLimits, CallSide } from './call-limits.js';
import type { SdkClient } from './client-pool.js';

type Handler = (args: unknown) => Promise<unknown>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;
type Add = (
  mw: Middleware,
  opts: { step: 'deserialize'; name: string; priority: 'low' | 'high' },
) => void;

/** Counts `client`'s attempts in `counts` and runs each through `side`'s pool of `limits`. */
export function instrument<C extends SdkClient>(
  client: C,
  service: string,
  counts: Map<string, number>,
  limits: CallLimits,
  side: CallSide,
): C {
  const add = client.middlewareStack.add as unknown as Add;
  add.call(
    client.middlewareStack,
    (next, context) => (args) => {
      const key = `${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return next(args);
    },
    { step: 'deserialize', name: 'leavegateCallCounter', priority: 'high' },
  );
  add.call(client.middlewareStack, (next) => (args) => limits.run(side, () => next(args)), {
    step: 'deserialize',
    name: 'leavegateCallLimit',
    priority: 'low',
  });
  return client;
}
