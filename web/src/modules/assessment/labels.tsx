import { Tag } from 'antd';
import { GBT_42195_2022 } from '../../../../src/modules/assessment/instrument/gbt-42195-2022';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import type { AssessmentReason, AssessmentSummary, Level } from './types';

/** The level names as the instrument's data gives them (C.3), by code. */
const LEVELS = new Map(GBT_42195_2022.levels.map((l) => [l.code, l]));
const COLORS: Record<Level, string> = { intact: 'green', mild: 'gold', moderate: 'orange', severe: 'volcano', complete: 'red' };

/** The level's name in the viewer's language. */
export function useLevelName(): (level: Level) => string {
  const { pick } = useI18n();
  return (level) => {
    const l = LEVELS.get(level);
    return l ? pick(l.zh, l.en) : level;
  };
}

/** A level as a coloured tag; '—' when none. */
export function LevelTag({ level, testId, large }: { level: Level | null | undefined; testId?: string; large?: boolean }) {
  const name = useLevelName();
  if (!level) return <span data-testid={testId}>—</span>;
  return (
    <Tag color={COLORS[level]} data-testid={testId} style={{ marginInlineEnd: 0, ...(large ? { fontSize: 16, lineHeight: '28px', padding: '0 12px' } : {}) }}>
      {name(level)}
    </Tag>
  );
}

export const reasonKey = (r: AssessmentReason | string) => `asm.reason.${r}` as MessageKey;

/** The record's status as the list shows it: a submitted assessment waits for its co-signature first. */
export function StatusTag({ a }: { a: Pick<AssessmentSummary, 'status' | 'cosigned' | 'supersededBy' | 'openConflicts'> }) {
  const { t } = useI18n();
  const main =
    a.status === 'reviewed' ? (
      <Tag color="green">{t('asm.status.reviewed')}</Tag>
    ) : a.status === 'submitted' ? (
      <Tag color={a.cosigned ? 'blue' : 'gold'}>{t(a.cosigned ? 'asm.status.cosigned' : 'asm.status.cosignWaiting')}</Tag>
    ) : (
      <Tag>{t('asm.status.draft')}</Tag>
    );
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4 }}>
      {main}
      {a.supersededBy !== null && <Tag color="default">{t('asm.superseded')}</Tag>}
      {a.openConflicts > 0 && <Tag color="red">{t('asm.conflicts', { n: a.openConflicts })}</Tag>}
    </span>
  );
}
