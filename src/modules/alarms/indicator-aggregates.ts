import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import type { AggregateSource, Member, Span } from '../indicators/contract.js';
import { hotlineTargetsOf } from './alarms.settings.js';
import { ALARM_KIND_WORDS } from './alarms.vocabulary.js';
import { ackTargets } from './reports.js';

/**
 * The alarms' aggregate source for the indicators (issue 20, R11).
 *
 * alarms.alarmAckWithinTarget — alarms raised in the month (Beijing civil dates, from 00:00 of
 * `from` to 24:00 of `to`) acknowledged within the hotline's own target (hotline_targets.ackSeconds,
 * default 60 s) ÷ alarms raised in the month — measured by the reports' own ackTargets, so the
 * figure is the alarm report's "acknowledged within 60 s" for the same month and region: an alarm
 * nobody has acknowledged counts as a miss once older than the limit, and is left out while it
 * could still make it. Every kind counts (false alarms and tests too: an operator cannot tell
 * before answering). The share target (ackSharePermille, 97.5 %) is the indicator's target.
 * Cells at the alarm's region (the person's at the time); members are alarms by number and kind,
 * never the person.
 */

const DAY = 86_400_000;
const beijingMidnight = (on: string) => new Date(`${on}T00:00:00+08:00`).toISOString();
const nextDay = (on: string) => new Date(Date.parse(`${on}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

interface MonthAlarm {
  id: number;
  kind: string;
  region_code: string;
  state: string;
  raised_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  outcome: string | null;
  escalation: number;
}

async function monthAlarms(db: Executor, span: Span): Promise<MonthAlarm[]> {
  return db
    .selectFrom('alarms')
    .select(['id', 'kind', 'region_code', 'state', 'raised_at', 'acknowledged_at', 'resolved_at', 'outcome', 'escalation'])
    .where('raised_at', '>=', beijingMidnight(span.from))
    .where('raised_at', '<', beijingMidnight(nextDay(span.to)))
    .execute();
}

/** Each alarm's standing against the limit (its region's county's target): counted (in the population) and within it. */
function standing(ctx: AppContext, rows: readonly MonthAlarm[], now: number) {
  return rows.map((a) => {
    const t = hotlineTargetsOf(ctx, a.region_code);
    const [ack] = ackTargets([a], t, now);
    return { a, counted: ack!.population > 0, within: ack!.within > 0, limit: t.ackSeconds };
  });
}

const alarmAckWithinTarget: AggregateSource = {
  key: 'alarms.alarmAckWithinTarget',
  label: { zh: '告警在目标时限内接警率', en: 'Alarms acknowledged within target' },
  async cells(ctx, db, span) {
    const cells = new Map<string, { region: string; num: number; den: number }>();
    for (const s of standing(ctx, await monthAlarms(db, span), Date.now())) {
      if (!s.counted) continue;
      const c = cells.get(s.a.region_code) ?? { region: s.a.region_code, num: 0, den: 0 };
      c.num += s.within ? 1 : 0;
      c.den += 1;
      cells.set(s.a.region_code, c);
    }
    return [...cells.values()];
  },
  async members(ctx, db, span, prefixes) {
    const rows = (await monthAlarms(db, span)).filter((a) => prefixes.some((p) => a.region_code.startsWith(p)));
    return standing(ctx, rows, Date.now())
      .filter((s) => s.counted)
      .map(({ a, within, limit }): Member => {
        const words = ALARM_KIND_WORDS[a.kind] ?? ALARM_KIND_WORDS.other!;
        const seconds = a.acknowledged_at === null ? null : Math.round((Date.parse(a.acknowledged_at) - Date.parse(a.raised_at)) / 1000);
        return {
          kind: 'alarm',
          id: a.id,
          name: `#${a.id}`,
          region: a.region_code,
          detail:
            seconds === null
              ? { zh: `${words.zh}：超过 ${limit} 秒未接警`, en: `${words.en}: not acknowledged within ${limit} s` }
              : { zh: `${words.zh}：${seconds} 秒接警（目标 ${limit} 秒）`, en: `${words.en}: acknowledged in ${seconds} s (target ${limit} s)` },
          inNumerator: within,
        };
      });
  },
};

export const alarmsAggregates: AggregateSource[] = [alarmAckWithinTarget];
