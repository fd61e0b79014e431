import { DEMO_COUNTY } from './regions.js';
import type { AppContext } from '../../platform/context.js';
import { today } from '../../platform/time.js';
import { seedAlarmHistory, type HistoryElder } from '../alarms/demo-history.js';
import { populationBatch } from '../register/people.js';
import { accountByUsername, activeUsersOfRole } from '../users/accounts.js';
import { mulberry32, seedBits } from './generator.js';
import { pickName } from './names.js';

const ELDERS = 60;

/**
 * The demo county's smart monitoring and hotline (issue 18), so that the console, the desk pages and
 * the reports have three months behind them on the first start:
 * - one vendor platform (its secret random and sealed, never printed), devices for 60 elders of the
 *   first two towns — a red/green button (YY-EB-000123) for everyone living alone, call terminals,
 *   mattresses, bracelets and door sensors for the others — a few offline, a few with a low battery;
 * - one or two emergency contacts each (synthetic names, 139 numbers, sealed with their masked copy);
 * - 90 days of alarms raised by their events, acknowledged by hotline1 / hotline2 mostly within a
 *   minute (a few slow and escalated), acted on and resolved real, false alarm or test, every step
 *   timed; tickets of every kind with return calls after resolved emergencies and complaints; a few
 *   knowledge-base answers (高龄津贴, 养老服务补贴, home services, the time bank, 12349 itself);
 * - now: one emergency raised and waiting, one fall acknowledged by hotline1, so a newcomer logging in
 *   as hotline1 sees a live queue.
 *
 * The elders are read through the register's public functions and the accounts through the users
 * module's; the rows are written by the alarms module's seedAlarmHistory (past times, which its
 * public functions for live use cannot write). Deterministic with the seed (except the vendor's
 * secret), well under a second on SQLite.
 */
export async function seedDemoAlarms(ctx: AppContext, seed: number, log: (s: string) => void = () => {}): Promise<void> {
  const t0 = Date.now();
  const rng = mulberry32(seedBits(seed) ^ 0xa1a7);
  const j = ctx.regions.get(DEMO_COUNTY);
  if (!j) return;
  const [op1] = await activeUsersOfRole(ctx.db, 'hotline_operator', '');
  const ids = new Map<string, number>();
  for (const name of ['hotline1', 'hotline2', 'hotlinelead', 'admin']) {
    const account = await accountByUsername(ctx.db, name);
    if (account) ids.set(name, account.id);
  }
  const uid = (name: string) => ids.get(name) ?? op1?.id ?? 0;
  const towns = ctx.regions
    .all()
    .filter((r) => r.level === 'town')
    .sort((a, b) => (a.code < b.code ? -1 : 1))
    .slice(0, 2);
  if (!towns.length) return;
  const elders = await eldersOf(
    ctx,
    towns.map((t) => t.prefix),
  );
  if (!elders.length) return;
  const counts = await seedAlarmHistory(ctx, {
    rng,
    elders,
    operators: [uid('hotline1'), uid('hotline2')],
    lead: uid('hotlinelead'),
    admin: uid('admin'),
    nameOf: (sex, birthYear) => pickName(rng, sex, birthYear),
  });
  log(
    `  alarms and hotline: ${counts.devices} devices of ${elders.length} elders, ${counts.contacts} contacts, ${counts.alarms} alarms (1 waiting, 1 acknowledged), ${counts.tickets} tickets, ${counts.callbacks} return calls (${Date.now() - t0} ms)`,
  );
}

/**
 * The elders given devices: the active people of the given towns, those living alone first, then
 * the oldest (by birth date, then id), at most ELDERS — read through the register's population batches.
 */
async function eldersOf(ctx: AppContext, prefixes: readonly string[]): Promise<HistoryElder[]> {
  const found: (HistoryElder & { birthDate: string })[] = [];
  for (let cursor = 0; ;) {
    const batch = await populationBatch(ctx.handle, ['id', 'region_code', 'living_alone', 'birth_date', 'status'], cursor, today(), 5000);
    if (!batch.length) break;
    for (const [id, region, alone, birth, status] of batch as [number, string, number, string, string][]) {
      cursor = id;
      if (status === 'active' && prefixes.some((p) => region.startsWith(p)))
        found.push({ id, regionCode: region, livingAlone: Number(alone) === 1, birthDate: birth });
    }
  }
  found.sort((a, b) => Number(b.livingAlone) - Number(a.livingAlone) || (a.birthDate < b.birthDate ? -1 : a.birthDate > b.birthDate ? 1 : a.id - b.id));
  return found.slice(0, ELDERS).map(({ id, regionCode, livingAlone }) => ({ id, regionCode, livingAlone }));
}
