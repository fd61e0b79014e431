import { useState } from 'react';
import { App, Button, Space } from 'antd';
import { post } from '../../api';
import { useI18n } from '../../shared/i18n-core';

/** 保留现值 / 采用新值 for one open conflict. */
export function ConflictActions({ id, onResolved }: { id: number; onResolved: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<'keep' | 'accept' | null>(null);
  const resolve = async (choice: 'keep' | 'accept') => {
    setBusy(choice);
    try {
      await post(`/api/conflicts/${id}/resolve`, { choice });
      message.success(t('conflict.resolved'));
      onResolved();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space size="small" wrap>
      <Button size="small" loading={busy === 'keep'} disabled={busy !== null} onClick={() => void resolve('keep')} data-testid={`conflict-keep-${id}`}>
        {t('conflict.keep')}
      </Button>
      <Button size="small" type="primary" loading={busy === 'accept'} disabled={busy !== null} onClick={() => void resolve('accept')} data-testid={`conflict-accept-${id}`}>
        {t('conflict.accept')}
      </Button>
    </Space>
  );
}

/** "value (source, date)" */
export function SourcedValue({ value, source, asOf }: { value: string | null; source: string; asOf: string }) {
  return (
    <span>
      <strong>{value === null || value === '' ? '—' : value}</strong>
      <span style={{ color: '#888', marginLeft: 6 }}>({source}, {asOf})</span>
    </span>
  );
}
