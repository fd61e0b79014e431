import { AsyncLocalStorage } from 'node:async_hooks';
import type { Driver, Kysely, TransactionBuilder } from 'kysely';

/**
 * A query on the root handle (`ctx.db`) issued from inside a `db.transaction().execute(fn)` is
 * always a mistake: on SQLite the transaction holds the one connection, so the query waits for
 * the transaction that waits for it, and every later request hangs behind them; on PostgreSQL it
 * silently reads outside the transaction. The transaction's callback runs in an async context
 * marked open; the driver refuses to hand a connection to a query from such a context, at once
 * and loudly, naming the mistake.
 */
interface Flow {
  open: boolean;
}

const flow = new AsyncLocalStorage<Flow>();

export const ROOT_IN_TRANSACTION =
  'A query on the root database handle was issued inside an open transaction: use the transaction (trx), not ctx.db. On SQLite this would wait for itself and hang every request.';

/** Wraps a dialect's driver so that acquiring a connection from inside an open transaction fails. */
export function guardDriver(driver: Driver): Driver {
  const acquire = driver.acquireConnection.bind(driver);
  driver.acquireConnection = () => {
    if (flow.getStore()?.open) return Promise.reject(new Error(ROOT_IN_TRANSACTION));
    return acquire();
  };
  return driver;
}

function guardBuilder<DB>(builder: TransactionBuilder<DB>): TransactionBuilder<DB> {
  return new Proxy(builder, {
    get(target, prop) {
      if (prop === 'execute') {
        return <T>(fn: Parameters<TransactionBuilder<DB>['execute']>[0]) =>
          target.execute((trx) => {
            const state: Flow = { open: true };
            return flow.run(state, async () => {
              try {
                return (await fn(trx)) as T;
              } finally {
                // work the callback left running goes on as ordinary work
                state.open = false;
              }
            });
          });
      }
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const out = (v as (...a: unknown[]) => unknown).apply(target, args);
        // setIsolationLevel / setAccessMode return a new builder: keep it guarded
        return out && typeof out === 'object' && 'execute' in out && out !== target ? guardBuilder(out as TransactionBuilder<DB>) : out;
      };
    },
  });
}

/** The database handle whose `transaction()` marks its callback's async context as inside it. */
export function guardTransactions<DB>(db: Kysely<DB>): Kysely<DB> {
  return new Proxy(db, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (prop === 'transaction') return () => guardBuilder(target.transaction());
      // Kysely keeps its state in private fields: methods must run on the real instance
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
