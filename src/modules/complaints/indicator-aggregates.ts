import type { Executor } from '../../db/database.js';
import type { AggregateSource, Member, Span } from '../indicators/contract.js';
import { COMPLAINT_CATEGORY_WORDS, type ComplaintCategory } from './complaints.schema.js';

/**
 * The complaints' aggregate source for the indicators (issue 20, R11).
 *
 * complaints.complaintsClosedInTime — complaints whose deadline (due_on, the reply deadline the
 * complaint was given when received) fell in the month, up to asOf, answered by it ÷ those
 * complaints. "In time" is the module's own rule (signals.ts, overdue.ts): the reply
 * (replied_on, the first reply's date; closing follows the reply and has no deadline of its own)
 * on or before the deadline. A complaint counts in the month of its deadline, once: one due later
 * than asOf is not counted yet, even if already answered. Cells at the region the complaint is
 * about (where it happened); members are complaints by number and category — never the
 * complainant, nor what they wrote.
 */

interface Due {
  id: number;
  category: string;
  region_code: string;
  due_on: string;
  replied_on: string | null;
}

async function dueInMonth(db: Executor, span: Span, prefixes?: readonly string[]): Promise<Due[]> {
  const last = span.asOf < span.to ? span.asOf : span.to;
  let q = db
    .selectFrom('complaints')
    .select(['id', 'category', 'region_code', 'due_on', 'replied_on'])
    .where('due_on', '>=', span.from)
    .where('due_on', '<=', last);
  if (prefixes) q = q.where((eb) => eb.or(prefixes.map((p) => eb('region_code', 'like', `${p.replace(/[%_]/g, '')}%`))));
  return q.execute();
}

const inTime = (c: Due) => c.replied_on !== null && c.replied_on <= c.due_on;

const complaintsClosedInTime: AggregateSource = {
  key: 'complaints.complaintsClosedInTime',
  label: { zh: '投诉按期办结率', en: 'Complaints answered by their deadline' },
  async cells(_ctx, db, span) {
    const cells = new Map<string, { region: string; num: number; den: number }>();
    for (const c of await dueInMonth(db, span)) {
      const cell = cells.get(c.region_code) ?? { region: c.region_code, num: 0, den: 0 };
      cell.num += inTime(c) ? 1 : 0;
      cell.den += 1;
      cells.set(c.region_code, cell);
    }
    return [...cells.values()];
  },
  async members(_ctx, db, span, prefixes) {
    if (!prefixes.length) return [];
    return (await dueInMonth(db, span, prefixes)).map((c): Member => {
      const cat = COMPLAINT_CATEGORY_WORDS[c.category as ComplaintCategory] ?? COMPLAINT_CATEGORY_WORDS.other;
      const ok = inTime(c);
      return {
        kind: 'complaint',
        id: c.id,
        name: `#${c.id}`,
        region: c.region_code,
        detail:
          c.replied_on === null
            ? { zh: `${cat.zh}：期限 ${c.due_on}，未答复`, en: `${cat.en}: due ${c.due_on}, not answered` }
            : {
                zh: `${cat.zh}：期限 ${c.due_on}，${c.replied_on} 答复${ok ? '' : '（逾期）'}`,
                en: `${cat.en}: due ${c.due_on}, answered ${c.replied_on}${ok ? '' : ' (late)'}`,
              },
        inNumerator: ok,
      };
    });
  },
};

export const complaintsAggregates: AggregateSource[] = [complaintsClosedInTime];
