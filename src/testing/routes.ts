import type { FastifyInstance } from 'fastify';

/**
 * For tests that must see every route the app registers: `vi.mock('fastify', trackRoutes)` wraps
 * the Fastify factory so each instance records its routes through an onRoute hook added before
 * any plugin, and `routesOf(app)` lists them.
 */
export interface SeenRoute {
  method: string;
  url: string;
  /** read when asked: the access of a plugin's own routes (the API page) is set by a later hook */
  readonly access: unknown;
  /** left out of the API document (schema.hide) */
  hidden: boolean;
}

const seen = new WeakMap<object, SeenRoute[]>();

export async function trackRoutes(importOriginal: () => Promise<typeof import('fastify')>) {
  const actual = await importOriginal();
  const original = actual.default;
  const tracked = ((opts?: Parameters<typeof original>[0]) => {
    const app = original(opts);
    const list: SeenRoute[] = [];
    seen.set(app, list);
    app.addHook('onRoute', (r) => {
      const hidden = (r.schema as { hide?: boolean } | undefined)?.hide === true;
      for (const method of [r.method].flat()) {
        list.push({
          method: String(method),
          url: r.url,
          hidden,
          get access() {
            return (r.config as { access?: unknown } | undefined)?.access;
          },
        });
      }
    });
    return app;
  }) as unknown as typeof original;
  return { ...actual, default: Object.assign(tracked, original) };
}

export function routesOf(app: FastifyInstance): SeenRoute[] {
  const list = seen.get(app);
  if (!list) throw new Error('routesOf: this test file must call vi.mock("fastify", trackRoutes) first');
  return list;
}
