import { Space, Tag, Typography } from 'antd';
import { FINDING_BY_CODE, FOLLOWUP_KINDS } from '../../../../src/modules/visits/findings';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import type { DueStatus, EscalationStatus, FollowupStatus, Words } from './types';

/** A text the server sends in both languages (or already in one). */
export function useWords() {
  const { pick } = useI18n();
  return (w: Words | string | null | undefined) => (w === null || w === undefined ? '' : typeof w === 'string' ? w : pick(w.zh, w.en));
}

export const freqKey = (f: string) => (f === 'weekly' ? 'v.freq.weekly' : 'v.freq.monthly') as MessageKey;
export const modeKey = (m: string) => (['home', 'phone', 'video', 'message'].includes(m) ? `v.mode.${m}` : 'v.mode.home') as MessageKey;

export function FreqTag({ frequency }: { frequency: string }) {
  const { t } = useI18n();
  return <Tag color={frequency === 'weekly' ? 'volcano' : 'blue'}>{t(freqKey(frequency))}</Tag>;
}

export function HighRiskTag({ show }: { show: boolean }) {
  const { t } = useI18n();
  return show ? <Tag color="red">{t('v.highRisk')}</Tag> : null;
}

const DUE_COLORS: Record<string, string> = { open: 'blue', done: 'green', missed: 'red', cancelled: 'default' };
export function DueTag({ status }: { status: DueStatus | string }) {
  const { t } = useI18n();
  return <Tag color={DUE_COLORS[status]}>{t(`v.due.${status in DUE_COLORS ? status : 'open'}` as MessageKey)}</Tag>;
}

const FU_COLORS: Record<string, string> = { open: 'red', in_progress: 'gold', closed: 'green' };
export function FollowupStatusTag({ status }: { status: FollowupStatus }) {
  const { t } = useI18n();
  return <Tag color={FU_COLORS[status]}>{t(`v.fu.${status}` as MessageKey)}</Tag>;
}

const ESC_COLORS: Record<string, string> = { open: 'red', acknowledged: 'gold', closed: 'green' };
export function EscalationStatusTag({ status }: { status: EscalationStatus }) {
  const { t } = useI18n();
  return <Tag color={ESC_COLORS[status]}>{t(`v.esc.${status}` as MessageKey)}</Tag>;
}

/** A follow-up kind in words. */
export function useKindLabel() {
  const { pick } = useI18n();
  return (kind: string) => {
    const k = FOLLOWUP_KINDS[kind as keyof typeof FOLLOWUP_KINDS];
    return k ? pick(k.zh, k.en) : kind;
  };
}

export const FOLLOWUP_KIND_KEYS = Object.keys(FOLLOWUP_KINDS) as (keyof typeof FOLLOWUP_KINDS)[];

/** A checklist finding in words ('escalation' for an escalation's ticket). */
export function useFindingLabel() {
  const { pick, t } = useI18n();
  return (code: string) => {
    if (code === 'escalation') return t('v.fu.escalation');
    const f = FINDING_BY_CODE.get(code);
    return f ? pick(f.zh, f.en) : code;
  };
}

export function Findings({ codes }: { codes: string[] }) {
  const label = useFindingLabel();
  const shown = codes.filter((c) => !c.endsWith('.ok') && c !== 'needs.none');
  if (!shown.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={[4, 4]} wrap>
      {shown.map((c) => (
        <Tag key={c} color="orange">
          {label(c)}
        </Tag>
      ))}
    </Space>
  );
}

/** A per-cent figure with one decimal, '—' when nothing was due. */
export const pct = (p: number | null | undefined) => (p === null || p === undefined ? '—' : `${p.toFixed(1)}%`);
