import type { FastifyInstance } from 'fastify';
import type { Migration } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/tables.js';
import type { AppContext } from './context.js';
import type { ActionInfo } from './policy.js';

/** The routes of a module, registered under /api. */
export type RoutePlugin = (api: FastifyInstance, ctx: AppContext) => Promise<void>;

/**
 * A capability's manifest (src/modules/<m>/index.ts): everything the platform needs to know of it.
 * src/modules/index.ts lists the manifests along the data path; the app (routes), the migrator
 * (storage), the policy table (actions) and start-up (hooks) iterate that one list, so a new
 * capability is one folder and one line there.
 */
export interface ServerModule<A extends string = string> {
  /** the folder name; prefixes the module's migration names ('visits/001-plans') */
  id: string;
  routes?: readonly RoutePlugin[];
  /**
   * The tables the module owns: only its own code queries them (src/modules/ownership.test.ts);
   * other modules call its public functions. The platform's tables (audit log, jobs, settings)
   * are read through platform functions.
   */
  tables?: readonly (keyof Database)[];
  /**
   * The module's own migrations, keyed by local name ('001-plans'); the migrator records them as
   * '<id>/<name>', so two modules never collide on a number. They run in module order (left to
   * right on the data path), then by name, so a module's tables may refer to its left neighbours'.
   */
  migrations?: Record<string, Migration>;
  /**
   * Migrations recorded before modules owned their storage (001-013), under the names databases
   * already hold. Frozen: a new migration goes into `migrations`.
   */
  recordedMigrations?: Record<string, Migration>;
  /** the module's actions: who may do each, and what it is called */
  actions?: Record<A, ActionInfo>;
  /**
   * Runs at every start, after all migrations: hands the module's hooks to the modules on its left
   * (a decision sink to the runs, a guard to the catalogue) and prepares its storage (columns a
   * declaration owns). Must be idempotent: tests open many contexts in one process.
   */
  start?: (db: Db) => Promise<unknown> | void;
  /**
   * Work the module does while the server serves (src/main.ts), beside the requests: the alarms'
   * MQTT subscriber and escalation clock. Started after listening, stopped before the database
   * closes. Tests start what they need themselves.
   */
  serve?: (ctx: AppContext) => Promise<Serving> | Serving;
}

/** Something a module runs while the server serves. */
export interface Serving {
  stop(): Promise<void>;
}

/** Declares a module, keeping the literal names of its actions (they become the Action type). */
export function defineModule<A extends string>(m: ServerModule<A>): ServerModule<A> {
  return m;
}
