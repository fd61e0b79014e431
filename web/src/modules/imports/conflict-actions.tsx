import { fieldValueLabel } from '../../shared/fact-labels';
import { App, Button, Space } from 'antd';
import { useI18n } from '../../shared/i18n-core';
import { useResolveConflict } from './api';

/** 保留现值 / 采用新值 for one open conflict (the lists showing it are refreshed by the mutation). */
export function ConflictActions({ id }: { id: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const resolving = useResolveConflict();
  const busy = resolving.isPending ? resolving.variables.choice : null;
  const resolve = (choice: 'keep' | 'accept') => {
    resolving.mutate(
      { id, choice },
      {
        onSuccess: () => {
          message.success(t('conflict.resolved'));
        },
        onError: (e) => {
          message.error(e.message);
        },
      },
    );
  };
  return (
    <Space size="small" wrap>
      <Button size="small" loading={busy === 'keep'} disabled={busy !== null} onClick={() => resolve('keep')} data-testid={`conflict-keep-${id}`}>
        {t('conflict.keep')}
      </Button>
      <Button
        size="small"
        type="primary"
        loading={busy === 'accept'}
        disabled={busy !== null}
        onClick={() => resolve('accept')}
        data-testid={`conflict-accept-${id}`}
      >
        {t('conflict.accept')}
      </Button>
    </Space>
  );
}

/** "value (source, date)", the value in the viewer's language */
export function SourcedValue({ field, value, source, asOf }: { field: string; value: string | null; source: string; asOf: string }) {
  const { locale } = useI18n();
  return (
    <span>
      <strong>{value === null || value === '' ? '—' : fieldValueLabel(field, value, locale)}</strong>
      <span style={{ color: '#888', marginLeft: 6 }}>
        ({source}, {asOf})
      </span>
    </span>
  );
}
