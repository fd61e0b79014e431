import { T } from '../../lib/rules/check.js';
import type { FactDecl, Words } from '../../lib/rules/facts.js';
import { GBT_42195_2022 } from './instrument/gbt-42195-2022.js';
import { LEVELS } from './instrument/types.js';

/**
 * The person facts the assessment module owns. Both read the register's row, where the review
 * keeps the latest reviewed level (register/capability.ts), so a run reads one table.
 *
 * A level counts for a month when the assessment's reference date is on or before the month's last
 * day and its validity (due date + grace, assessment.settings.ts) reaches the month's first day: an
 * assessment that lapses mid-month still counts for that month, and one reviewed late counts from
 * its reference date (back-pay reads the history the review writes).
 */
const w = (zh: string, en: string): Words => ({ zh, en });

const LEVEL_WORDS: Record<string, Words> = Object.fromEntries(GBT_42195_2022.levels.map((l) => [l.code, w(l.zh, l.en)]));

/** The valid level's loader as one expression over the row `r` and the period `c` (null: none valid). */
const VALID = '(r.capability_level && r.capability_on <= c.end && r.capability_until >= c.start ? r.capability_level : null)';
const valid = (r: Record<string, unknown>, c: { start: string; end: string }): string | null => {
  const level = r.capability_level as string | null | undefined;
  if (!level) return null;
  return (r.capability_on as string) <= c.end && (r.capability_until as string) >= c.start ? level : null;
};

const DISABLEMENT: Record<string, Words> = {
  none: w('未失能', 'Not disabled'),
  mild: w('轻度失能', 'Mild'),
  moderate: w('中度失能', 'Moderate'),
  severe: w('重度失能', 'Severe'),
  complete: w('完全失能', 'Complete'),
};

export const ASSESSMENT_FACTS: FactDecl[] = [
  {
    // "this person's current capability level": the latest reviewed, unexpired GB/T 42195-2022
    // assessment, or unknown. A rule that needs an assessment reads this one (known(capabilityLevel)).
    name: 'capabilityLevel',
    type: { t: 'enum', name: 'capabilityLevel', values: [...LEVELS] },
    label: w('能力等级（GB/T 42195 评估，在有效期内）', 'capability level (GB/T 42195 assessment, in force)'),
    values: LEVEL_WORDS,
    owner: 'assessment',
    columns: ['capability_level', 'capability_on', 'capability_until'],
    unknown: true,
    ask: false,
    load: (r, c) => valid(r, c),
    inline: VALID,
  },
  {
    // 失能程度, what the catalogues' disability items read. The civil-affairs assessment decides when
    // one is in force; otherwise the long-term-care insurance grade medical insurance gave is
    // accepted (seed 004 §2: 探索采信医保部门评定结果; 000 §2: 作为重要参考); otherwise not disabled —
    // the stance the register took for the LTC grade (a disability is claimed by being assessed).
    // 能力完好 reads as 未失能; 完全失能 is a level above 重度 that the catalogues' 重度 items include.
    name: 'disablement',
    type: { t: 'enum', name: 'disablement', values: Object.keys(DISABLEMENT) },
    label: w('失能程度（能力评估；无有效评估时按长护险失能等级）', 'disablement (capability assessment; else the LTC insurance grade)'),
    values: DISABLEMENT,
    owner: 'assessment',
    columns: ['capability_level', 'capability_on', 'capability_until', 'ltc_grade'],
    unknown: true,
    ask: false,
    load: (r, c) => {
      const v = valid(r, c);
      if (v) return v === 'intact' ? 'none' : v;
      return (r.ltc_grade as string | null) || 'none';
    },
    inline: `((v) => (v ? (v === 'intact' ? 'none' : v) : r.ltc_grade || 'none'))(${VALID})`,
  },
  {
    // 需要长期照护 (Daye item 19): a valid assessment decides (any level but 能力完好 needs care);
    // without one, the long-term-care record (any grade of disablement; 'none' on record: no); no
    // record and no assessment is unknown, not "no": a rule that needs it lists the person to verify.
    name: 'longTermCare',
    type: T.bool,
    label: w('需要长期照护（能力评估为失能，或有长护险失能等级记录）', 'needs long-term care (assessed as disabled, or an LTC grade on record)'),
    values: { true: w('是', 'yes'), false: w('否', 'no') },
    owner: 'assessment',
    columns: ['capability_level', 'capability_on', 'capability_until', 'ltc_grade'],
    unknown: true,
    load: (r, c) => {
      const v = valid(r, c);
      if (v) return v !== 'intact';
      return r.ltc_grade === null || r.ltc_grade === undefined || r.ltc_grade === '' ? null : r.ltc_grade !== 'none';
    },
    inline: `((v) => (v ? v !== 'intact' : r.ltc_grade === null || r.ltc_grade === undefined || r.ltc_grade === '' ? null : r.ltc_grade !== 'none'))(${VALID})`,
  },
];
