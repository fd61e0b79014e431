import { Alert, Card, Grid, Segmented, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router-dom';
import { get, qs } from '../../shared/api';
import { ExportButton } from '../../shared/export-button';
import { yuan } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import type { MessageKey } from '../../shared/i18n-core';
import type { PausedQueue } from './types';

/** a reason's words: the key is one of the messages' pausereason.* */
export const reasonKey = (r: string) => `pausereason.${r}` as MessageKey;

type Entry = PausedQueue['items'][number];
const REASONS = ['no_account', 'abroad', 'missing', 'verification', 'institution', 'other', 'held'] as const;
const PERSON_REASONS = new Set(['abroad', 'missing', 'verification', 'institution', 'other']);
const COLORS: Record<string, string> = {
  no_account: 'volcano',
  held: 'default',
  verification: 'gold',
  missing: 'magenta',
  abroad: 'blue',
  institution: 'cyan',
};

function ReasonTags({ reasons }: { reasons: string[] }) {
  const { t } = useI18n();
  return (
    <Space size={4} wrap>
      {reasons.map((r) => (
        <Tag key={r} color={COLORS[r] ?? 'default'} data-testid={`paused-reason-${r}`}>
          {t(reasonKey(r))}
        </Tag>
      ))}
    </Space>
  );
}

/** What clears the pause, in a word: where the officer goes next. */
function Next({ r }: { r: Entry }) {
  const { t } = useI18n();
  const how = r.reasons.includes('no_account')
    ? 'paused.how.no_account'
    : r.reasons.some((x) => PERSON_REASONS.has(x))
      ? 'paused.how.person'
      : 'paused.how.held';
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {t(how)}
    </Typography.Text>
  );
}

/**
 * 暂停发放 (the eligible-but-paused list, an officer's work queue): everyone with a paused or held
 * line on the month's rolls, or under an officer's pause, by reason, with what would be paid and
 * what clears it; cards on a phone.
 */
export function PausedPage() {
  const { t } = useI18n();
  const phone = Grid.useBreakpoint().xs === true;
  const [params, setParams] = useSearchParams();
  const reason = params.get('reason') ?? '';
  const paged = usePaged(['paused', { reason }], (page, pageSize) => get<PausedQueue>(`/api/paused${qs({ reason: reason || undefined, page, pageSize })}`));
  const answer = paged.answer;
  const counts = answer?.counts ?? {};
  const all = Object.values(counts).reduce((a, b) => a + b, 0);

  const columns: ColumnsType<Entry> = [
    { title: t('change.col.name'), dataIndex: 'name', width: 90, render: (v: string, r) => <Link to={`/register/${r.personId}`}>{v}</Link> },
    { title: t('change.col.id'), dataIndex: 'idMasked', width: 170, render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span> },
    { title: t('change.col.village'), dataIndex: 'regionName', width: 120 },
    {
      title: t('paused.reason'),
      dataIndex: 'reasons',
      width: 200,
      render: (v: string[], r) => (
        <Space direction="vertical" size={2}>
          <ReasonTags reasons={v} />
          {r.remark && <Typography.Text style={{ fontSize: 12 }}>{r.remark}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('paused.items'), key: 'items', render: (_, r) => r.items.map((i) => i.itemName).join('、') || '—' },
    { title: t('paused.due'), dataIndex: 'dueFen', width: 100, align: 'right', render: (v: number, r) => (r.items.length ? yuan(v) : '—') },
    { title: t('paused.since'), dataIndex: 'since', width: 90 },
    { title: '', key: 'next', width: 190, render: (_, r) => <Next r={r} /> },
  ];

  return (
    <div data-testid="paused-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('paused.title')}
        {answer && (
          <Typography.Text type="secondary" style={{ fontSize: 14, marginLeft: 8 }}>
            {answer.period}
          </Typography.Text>
        )}
      </Typography.Title>
      <Alert type="info" showIcon message={t('paused.intro')} style={{ marginBottom: 12 }} />
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', marginBottom: 12 }}>
        <div style={{ overflowX: 'auto', maxWidth: '100%' }}>
          <Segmented
            data-testid="paused-reasons"
            value={reason}
            onChange={(v) => {
              const next = new URLSearchParams(params);
              if (v) next.set('reason', String(v));
              else next.delete('reason');
              setParams(next, { replace: true });
              paged.setPage(1);
            }}
            options={[
              { value: '', label: `${t('paused.allReasons')} ${all}` },
              ...REASONS.filter((r) => counts[r] || r === reason).map((r) => ({ value: r, label: `${t(reasonKey(r))} ${counts[r] ?? 0}` })),
            ]}
          />
        </div>
        {/* every entry of the month and reason (not the page shown), masked, audited on the server */}
        <ExportButton url={`/api/paused/export${qs({ period: answer?.period, reason: reason || undefined })}`} fileName="paused.xlsx" testId="paused-export" />
      </div>
      {phone ? (
        <PagedCards
          paged={paged}
          testId="paused-cards"
          rowKey={(r) => r.personId}
          renderCard={(r) => (
            <Card size="small" style={{ width: '100%' }} data-testid={`paused-card-${r.personId}`}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <Link to={`/register/${r.personId}`} style={{ fontWeight: 600 }}>
                  {r.name}
                </Link>
                <span>{r.items.length ? `${yuan(r.dueFen)} ${t('common.yuan')}` : ''}</span>
              </div>
              <ReasonTags reasons={r.reasons} />
              <div style={{ fontSize: 12, marginTop: 4 }}>
                {r.regionName} · {r.items.map((i) => i.itemName).join('、')} · {t('paused.since')} {r.since}
              </div>
              <Next r={r} />
            </Card>
          )}
        />
      ) : (
        <PagedTable<Entry> paged={paged} testId="paused-table" size="small" rowKey={(r) => r.personId} columns={columns} scroll={{ x: 960 }} />
      )}
    </div>
  );
}
