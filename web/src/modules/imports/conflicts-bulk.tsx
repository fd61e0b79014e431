import { App, Button, Space, Typography } from 'antd';
import { useI18n } from '../../shared/i18n-core';
import { useConflictSummary, useResolveAll } from './api';

/**
 * 批量处理: accept every open conflict one department brought, or keep every current value. Each
 * asks first, naming how many conflicts it settles; the server settles exactly that many (each
 * audited as the single action) or, if the list changed meanwhile, none.
 */
export function ConflictsBulk() {
  const { t, pick } = useI18n();
  const { modal, message } = App.useApp();
  const summary = useConflictSummary();
  const resolving = useResolveAll();
  if (!summary.data || summary.data.total === 0) return null;
  const { total, sources } = summary.data;

  const run = (body: { choice: 'accept' | 'keep'; source?: string; expected: number }, title: string, content: string) =>
    modal.confirm({
      title,
      content,
      okText: t('conflict.bulk.ok'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'conflict-bulk-ok' },
      onOk: () =>
        resolving.mutateAsync(body).then(
          (r) => void message.success(t('conflict.bulk.done', { n: r.resolved })),
          (e: Error) => void message.error(e.message),
        ),
    });

  return (
    <Space wrap style={{ marginBottom: 8 }} data-testid="conflicts-bulk">
      <Typography.Text type="secondary">{t('conflict.bulk')}</Typography.Text>
      {sources.map((s) => {
        const source = pick(s.label, s.labelEn);
        return (
          <Button
            key={s.source}
            size="small"
            disabled={resolving.isPending}
            data-testid={`conflict-accept-all-${s.source}`}
            onClick={() =>
              run(
                { choice: 'accept', source: s.source, expected: s.open },
                t('conflict.bulk.acceptTitle', { source, n: s.open }),
                t('conflict.bulk.acceptBody', { source, n: s.open }),
              )
            }
          >
            {t('conflict.bulk.accept', { source, n: s.open })}
          </Button>
        );
      })}
      <Button
        size="small"
        disabled={resolving.isPending}
        data-testid="conflict-keep-all"
        onClick={() => run({ choice: 'keep', expected: total }, t('conflict.bulk.keepTitle', { n: total }), t('conflict.bulk.keepBody', { n: total }))}
      >
        {t('conflict.bulk.keep', { n: total })}
      </Button>
    </Space>
  );
}
