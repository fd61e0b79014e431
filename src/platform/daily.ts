import type { AppContext } from './context.js';
import { createJob, latestJob } from './jobs.js';
import { nowIso, today } from './time.js';

/**
 * Work done once a day (the visit plans' refresh and escalation, the time bank's ledger check): a
 * module declares a task at load; the server runs each task once per civil day (Asia/Shanghai) —
 * at start when today's has not run, then when the day turns. A task's day is a row in the jobs
 * table keyed by the date, so two servers sharing a database run it once between them (the second
 * finds the first's row), and a day whose run failed is tried again at the next check.
 */
export interface DailyTask {
  name: string;
  run(ctx: AppContext, on: string): Promise<void>;
}

const tasks = new Map<string, DailyTask>();

export function defineDaily(task: DailyTask): DailyTask {
  tasks.set(task.name, task);
  return task;
}

export function dailyTasks(): DailyTask[] {
  return [...tasks.values()];
}

const kindOf = (name: string) => `daily:${name}`;

/** Runs every task not yet done (or failed) for `on`; returns the names run. One failing task does not stop the others. */
export async function runDailyTasks(ctx: AppContext, on: string = today(), onError: (name: string, e: unknown) => void = () => {}): Promise<string[]> {
  const ran: string[] = [];
  for (const task of tasks.values()) {
    const last = await latestJob(ctx.db, kindOf(task.name), on);
    if (last && last.status !== 'failed') continue;
    let job;
    try {
      job = await createJob(ctx.db, kindOf(task.name), on, { total: 1, state: {} });
    } catch {
      continue; // another server holds today's run
    }
    try {
      await task.run(ctx, on);
      await ctx.db.updateTable('jobs').set({ status: 'finished', lock_key: null, done: 1, finished_at: nowIso() }).where('id', '=', job.id).execute();
      ran.push(task.name);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      await ctx.db
        .updateTable('jobs')
        .set({ status: 'failed', lock_key: null, finished_at: nowIso(), error: message.slice(0, 2000) })
        .where('id', '=', job.id)
        .execute();
      onError(task.name, e);
    }
  }
  return ran;
}

/** Runs the day's tasks now and at every check after (every 10 minutes by default); returns a stop function. */
export function startDaily(ctx: AppContext, onError: (name: string, e: unknown) => void, everyMs = 10 * 60_000): { stop(): Promise<void> } {
  let running: Promise<unknown> = runDailyTasks(ctx, today(), onError).catch((e: unknown) => onError('daily', e));
  const timer = setInterval(() => {
    running = running.then(() => runDailyTasks(ctx, today(), onError)).catch((e: unknown) => onError('daily', e));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
