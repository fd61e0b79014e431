import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';

/** A parameter change as a guard sees it: which value, from which date. */
export interface ParameterChange {
  jurisdiction: string;
  name: string;
  from: string;
}

/**
 * A check that a module to the right of the catalogue adds to every parameter change, throwing an
 * AppError to refuse it (the payment rolls: never into a month already paid). The catalogue cannot
 * read those modules' tables; they hand it this function instead, at start (their manifest's start).
 */
export type ParameterGuard = (ctx: AppContext, db: Executor, change: ParameterChange) => Promise<void>;

const guards = new Map<string, ParameterGuard>();

/** Adds a guard by name (adding a name again replaces it, so a restart in one process is harmless). */
export function guardParameterChanges(name: string, guard: ParameterGuard): void {
  guards.set(name, guard);
}

export async function runParameterGuards(ctx: AppContext, db: Executor, change: ParameterChange): Promise<void> {
  for (const guard of guards.values()) await guard(ctx, db, change);
}
