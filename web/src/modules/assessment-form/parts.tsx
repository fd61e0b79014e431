import { Tag } from 'antd';
import { useI18n } from '../../i18n';
import type { SyncState } from './offline';
import type { Adjustment } from './types';

const syncColor: Record<SyncState, string> = { local: 'orange', syncing: 'processing', synced: 'green', conflict: 'red', refused: 'volcano' };

/** 仅保存在本机 / 正在同步 / 已同步 / 冲突 */
export function SyncBadge({ state }: { state: SyncState }) {
  const { t } = useI18n();
  return (
    <Tag color={syncColor[state]} data-testid="af-sync" data-state={state}>
      {t(`af.sync.${state}`)}
    </Tag>
  );
}

/** C.4's adjustments named, in the standard's order; both raising ones together are still one level. */
export function AdjustmentList({ adjustments }: { adjustments: readonly Adjustment[] }) {
  const { t } = useI18n();
  if (adjustments.length === 0) return <span data-testid="af-adjustments">{t('af.adjustments.none')}</span>;
  const both = adjustments.includes('mental') && adjustments.includes('riskEvents');
  return (
    <span data-testid="af-adjustments">
      {adjustments.map((a) => (
        <div key={a}>{t(`af.adj.${a}`)}</div>
      ))}
      {both && <div>{t('af.adj.once')}</div>}
    </span>
  );
}
