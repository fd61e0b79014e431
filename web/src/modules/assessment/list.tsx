import { Alert, Button, Card, Grid, Segmented, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n-core';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import { fetchAssessments, keys, type ListFilter } from './api';
import { LevelTag, reasonKey, StatusTag } from './labels';
import type { AssessmentSummary } from './types';

const FILTERS: ListFilter[] = ['mine', 'cosign', 'review', 'conflicts', 'all'];

/** Which tabs a viewer has: an assessor's own work and co-signatures; an officer's reviews. */
export function useTabs(): ListFilter[] {
  const { can } = useAuth();
  return FILTERS.filter((f) => {
    if (f === 'mine' || f === 'cosign') return can('assessments.write');
    if (f === 'review') return can('assessments.review');
    return true;
  });
}

function Assessors({ a }: { a: AssessmentSummary }) {
  return (
    <span>
      {a.assessor1.name}
      {a.assessor2 ? ` / ${a.assessor2.name}` : ''}
    </span>
  );
}

/**
 * 能力评估: the assessments of the viewer's region, by work queue — an assessor's own (我的评估), those
 * waiting for their co-signature (待会签), an officer's reviews (待审核), the stale edits (有冲突), all.
 * Each row opens the view page (/assessments/:id); cards on a phone.
 */
export function AssessmentsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const phone = Grid.useBreakpoint().xs === true;
  const tabs = useTabs();
  const [params, setParams] = useSearchParams();
  const asked = params.get('filter') as ListFilter | null;
  const filter: ListFilter = asked && tabs.includes(asked) ? asked : (tabs[0] ?? 'all');
  const paged = usePaged([...keys.list, { filter }], (page, pageSize) => fetchAssessments(filter, page, pageSize));

  const columns: ColumnsType<AssessmentSummary> = [
    {
      title: t('asm.col.person'),
      key: 'person',
      width: 180,
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Link to={`/register/${r.personId}`}>{r.personName}</Link>
          <span style={{ fontFamily: 'monospace', fontSize: 12 }}>{r.idMasked}</span>
        </Space>
      ),
    },
    { title: t('asm.col.region'), dataIndex: 'regionName', width: 120 },
    { title: t('asm.col.date'), dataIndex: 'referenceDate', width: 110 },
    { title: t('asm.col.reason'), dataIndex: 'reason', width: 130, render: (v: string) => t(reasonKey(v)) },
    { title: t('asm.col.status'), key: 'status', width: 150, render: (_, r) => <StatusTag a={r} /> },
    { title: t('asm.col.assessors'), key: 'assessors', width: 150, render: (_, r) => <Assessors a={r} /> },
    { title: t('asm.col.total'), dataIndex: 'total', width: 70, align: 'right' },
    { title: t('asm.col.level'), dataIndex: 'finalLevel', width: 110, render: (v: AssessmentSummary['finalLevel']) => <LevelTag level={v} /> },
    {
      title: '',
      key: 'open',
      width: 70,
      render: (_, r) => (
        <Link to={`/assessments/${r.id}`} data-testid={`asm-open-${r.id}`}>
          {t('asm.open')}
        </Link>
      ),
    },
  ];

  return (
    <div data-testid="assessments-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('asm.list.title')}
        </Typography.Title>
        {can('assessments.write') && (
          <Link to="/assessments/new" data-testid="asm-new">
            <Button type="primary" icon={<PlusOutlined />}>
              {t('asm.new')}
            </Button>
          </Link>
        )}
      </div>
      {!phone && <Alert type="info" showIcon message={t('asm.list.intro')} style={{ marginBottom: 12 }} />}
      <div style={{ overflowX: 'auto', maxWidth: '100%', marginBottom: 12 }}>
        <Segmented
          data-testid="asm-tabs"
          value={filter}
          onChange={(v) => {
            const next = new URLSearchParams(params);
            next.set('filter', String(v));
            setParams(next, { replace: true });
            paged.setPage(1);
          }}
          options={tabs.map((f) => ({ value: f, label: t(`asm.tab.${f}`) }))}
        />
      </div>
      {phone ? (
        <PagedCards
          paged={paged}
          testId="asm-cards"
          rowKey={(r) => r.id}
          renderCard={(r) => (
            <Card size="small" style={{ width: '100%' }} data-testid={`asm-card-${r.id}`}>
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <Link to={`/assessments/${r.id}`} style={{ fontWeight: 600 }}>
                  {r.personName}
                </Link>
                <LevelTag level={r.finalLevel} />
              </div>
              <div style={{ fontSize: 12, margin: '4px 0' }}>
                {r.regionName} · {r.referenceDate} · {t(reasonKey(r.reason))} · {t('asm.total', { n: r.total })}
              </div>
              <Space size={4} wrap>
                <StatusTag a={r} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  <Assessors a={r} />
                </Typography.Text>
              </Space>
            </Card>
          )}
        />
      ) : (
        <PagedTable<AssessmentSummary> paged={paged} testId="asm-table" size="small" rowKey={(r) => r.id} columns={columns} scroll={{ x: 1000 }} />
      )}
    </div>
  );
}
