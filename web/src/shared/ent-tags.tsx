import { Tag } from 'antd';
import type { BenefitKind, Schedule } from '../modules/catalogue/types';
import type { ChangeKind, RollStatus, RunStatus } from '../modules/entitlements/types';
import { useI18n, type MessageKey } from './i18n-core';

const runColors: Record<RunStatus, string> = { running: 'processing', finished: 'success', failed: 'error' };

export function RunStatusTag({ status }: { status: RunStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={runColors[status] ?? 'default'} data-testid="run-status">
      {runColors[status] ? t(`rstatus.${status}`) : status}
    </Tag>
  );
}

const rollColors: Record<RollStatus, string> = {
  pending: 'default',
  draft: 'default',
  submitted: 'processing',
  returned: 'warning',
  approved: 'success',
  superseded: 'default',
};

export function RollStatusTag({ status }: { status: RollStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={rollColors[status] ?? 'default'} data-testid="roll-status">
      {rollColors[status] ? t(`rollstatus.${status}`) : status}
    </Tag>
  );
}

const changeColors: Record<ChangeKind, string> = { new: 'green', ended: 'red', amount: 'orange', verify: 'gold' };

export function ChangeKindTag({ kind }: { kind: ChangeKind }) {
  const { t } = useI18n();
  return <Tag color={changeColors[kind]}>{changeColors[kind] ? t(`change.kind.${kind}`) : kind}</Tag>;
}

const kinds: BenefitKind[] = ['cash_monthly', 'discount', 'service', 'insurance', 'priority'];
const kindColors: Record<BenefitKind, string> = { cash_monthly: 'gold', discount: 'cyan', service: 'blue', insurance: 'purple', priority: 'geekblue' };

export function kindLabel(kind: string, t: (k: MessageKey) => string): string {
  return (kinds as string[]).includes(kind) ? t(`kind.${kind as BenefitKind}`) : kind;
}

export function BenefitKindTag({ kind }: { kind: BenefitKind }) {
  const { t } = useI18n();
  return <Tag color={kindColors[kind]}>{kindLabel(kind, t)}</Tag>;
}

export function scheduleLabel(when: Schedule, t: (k: MessageKey) => string): string {
  return when === 'monthly' || when === 'birthday' || when === 'chongyang' ? t(`when.${when}`) : when;
}
