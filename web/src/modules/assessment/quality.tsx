import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Grid, InputNumber, Select, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { PagedCards, PagedTable, usePaged } from '../../shared/paged';
import { useRegionTree } from '../register/use-regions';
import { fetchDraws, keys, useAssessors, useAssignSample, useDraw, useNewDraw } from './api';
import { LevelTag } from './labels';
import { percent } from './rate';
import type { DrawSummary, SampleView } from './types';

/** 新建抽检: a period of review dates, a region, the share (empty: the setting's). */
function NewDraw({ onDrawn }: { onDrawn: (id: number) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const regions = useRegionTree();
  const draw = useNewDraw();
  const [form] = Form.useForm<{ dates: [Dayjs, Dayjs]; regionCode?: string; permille?: number | null }>();
  const submit = async (v: { dates: [Dayjs, Dayjs]; regionCode?: string; permille?: number | null }) => {
    try {
      const r = await draw.mutateAsync({
        from: v.dates[0].format('YYYY-MM-DD'),
        to: v.dates[1].format('YYYY-MM-DD'),
        regionCode: v.regionCode || undefined,
        permille: v.permille ?? undefined,
      });
      message.success(t('asm.q.drawn', { n: r.sampleSize }));
      form.resetFields();
      onDrawn(r.id);
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Card size="small" title={t('asm.q.new')} style={{ marginBottom: 12 }}>
      <Form form={form} layout="inline" onFinish={(v) => void submit(v)} style={{ rowGap: 8 }} data-testid="draw-form">
        <Form.Item name="dates" label={t('asm.q.from')} rules={[{ required: true, message: t('asm.required') }]}>
          <DatePicker.RangePicker data-testid="draw-dates" />
        </Form.Item>
        <Form.Item name="regionCode">
          <TreeSelect treeData={regions} placeholder={t('asm.cov.region')} allowClear showSearch treeNodeFilterProp="title" style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="permille" label={t('asm.q.share')} tooltip={t('asm.q.shareHelp')}>
          <InputNumber min={1} max={1000} precision={0} placeholder="50" style={{ width: 90 }} data-testid="draw-permille" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={draw.isPending} data-testid="draw-submit">
            {t('asm.q.draw')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

/** Who re-assesses a sample: named, or a picker for an officer while it is not re-assessed. */
function Reassessor({ s, canAssign }: { s: SampleView; canAssign: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const assessors = useAssessors(canAssign && !s.reassessment);
  const assign = useAssignSample();
  if (!canAssign || s.reassessment) return <span>{s.reassessor?.name ?? '—'}</span>;
  // the original's assessors may not re-assess their own work
  const excluded = new Set([s.original.assessor1.id, s.original.assessor2?.id]);
  return (
    <Select
      size="small"
      style={{ width: 150 }}
      value={s.reassessor?.id}
      placeholder={t('asm.q.assign')}
      loading={assign.isPending}
      data-testid={`sample-assign-${s.id}`}
      options={(assessors.data?.items ?? []).filter((a) => !excluded.has(a.id)).map((a) => ({ value: a.id, label: a.name }))}
      onChange={(assessorId: number) =>
        assign.mutate({ sampleId: s.id, assessorId }, { onSuccess: () => message.success(t('asm.q.assigned')), onError: (e) => message.error(e.message) })
      }
    />
  );
}

function Agreed({ s }: { s: SampleView }) {
  const { t } = useI18n();
  if (s.agreed === null) return <Tag>{t('asm.q.pending')}</Tag>;
  return <Tag color={s.agreed ? 'green' : 'red'}>{t(s.agreed ? 'common.yes' : 'common.no')}</Tag>;
}

/** A draw's samples: the original level beside the re-assessment's, and whether they agree. */
function Samples({ id, canAssign }: { id: number; canAssign: boolean }) {
  const { t } = useI18n();
  const draw = useDraw(id);
  if (draw.error) return <Alert type="error" showIcon message={draw.error.message} />;
  const d = draw.data;
  const columns: ColumnsType<SampleView> = [
    {
      title: t('asm.col.person'),
      key: 'person',
      render: (_, s) => (
        <Space direction="vertical" size={0}>
          <Link to={`/register/${s.personId}`}>{s.name}</Link>
          <span style={{ fontFamily: 'monospace', fontSize: 12 }}>{s.idMasked}</span>
        </Space>
      ),
    },
    {
      title: t('asm.q.col.original'),
      key: 'original',
      render: (_, s) => (
        <Space size={4} wrap>
          <Link to={`/assessments/${s.assessmentId}`}>{s.original.referenceDate}</Link>
          <LevelTag level={s.original.level} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {s.original.assessor1.name}
            {s.original.assessor2 ? ` / ${s.original.assessor2.name}` : ''}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('asm.q.col.reassessor'), key: 'reassessor', render: (_, s) => <Reassessor s={s} canAssign={canAssign} /> },
    {
      title: t('asm.q.col.reassessment'),
      key: 'reassessment',
      render: (_, s) =>
        s.reassessment ? (
          <Space size={4} wrap>
            <Link to={`/assessments/${s.reassessment.id}`}>{s.reassessment.referenceDate}</Link>
            <LevelTag level={s.reassessment.level} />
          </Space>
        ) : (
          '—'
        ),
    },
    { title: t('asm.q.col.agreed'), key: 'agreed', width: 90, render: (_, s) => <Agreed s={s} /> },
  ];
  return (
    <Card
      size="small"
      title={d ? `${t('asm.q.samples')} · ${d.regionName} ${d.from} – ${d.to}` : t('asm.q.samples')}
      extra={d && <span data-testid="draw-agreement">{`${t('asm.q.col.agreement')} ${percent(d.agreementRate)}`}</span>}
    >
      <Table<SampleView>
        size="small"
        rowKey="id"
        loading={draw.isLoading}
        dataSource={d?.samples ?? []}
        columns={columns}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 760 }}
        data-testid="draw-samples"
      />
      {d && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('asm.q.seed', { seed: d.seed })}
        </Typography.Text>
      )}
    </Card>
  );
}

/**
 * 质量抽检: draws of reviewed assessments for a second assessor's re-assessment, each with its
 * agreement rate; an officer draws anew and names the re-assessors.
 */
export function QualityPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const phone = Grid.useBreakpoint().xs === true;
  const officer = can('assessments.schedule');
  const [params, setParams] = useSearchParams();
  const drawId = params.get('draw') ? Number(params.get('draw')) : null;
  const [showForm, setShowForm] = useState(false);
  const paged = usePaged([...keys.draws, 'list'], (page, pageSize) => fetchDraws(page, pageSize));
  const open = (id: number) => {
    const next = new URLSearchParams(params);
    next.set('draw', String(id));
    setParams(next);
  };
  const shareText = (d: DrawSummary) => `${d.permille}‰`;
  const columns: ColumnsType<DrawSummary> = [
    {
      title: t('asm.q.col.period'),
      key: 'period',
      render: (_, d) => (
        <a onClick={() => open(d.id)} data-testid={`draw-open-${d.id}`} style={{ fontWeight: d.id === drawId ? 600 : undefined }}>
          {d.from} – {d.to}
        </a>
      ),
    },
    { title: t('asm.cov.region'), dataIndex: 'regionName' },
    { title: t('asm.q.col.share'), key: 'share', render: (_, d) => shareText(d), align: 'right' },
    { title: t('asm.q.col.population'), dataIndex: 'population', align: 'right' },
    { title: t('asm.q.col.size'), dataIndex: 'sampleSize', align: 'right' },
    { title: t('asm.q.col.done'), dataIndex: 'reassessed', align: 'right' },
    { title: t('asm.q.col.agreement'), dataIndex: 'agreementRate', align: 'right', render: (v: number | null) => percent(v) },
    { title: t('asm.q.col.by'), key: 'by', render: (_, d) => `${d.drawnBy.name} ${shanghaiTime(d.drawnAt)}` },
  ];
  return (
    <div data-testid="quality-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('asm.q.title')}
        </Typography.Title>
        {officer && (
          <Button type={showForm ? 'default' : 'primary'} onClick={() => setShowForm(!showForm)} data-testid="draw-new">
            {t('asm.q.new')}
          </Button>
        )}
      </div>
      {!phone && <Alert type="info" showIcon message={t('asm.q.intro')} style={{ marginBottom: 12 }} />}
      {officer && showForm && (
        <NewDraw
          onDrawn={(id) => {
            setShowForm(false);
            open(id);
          }}
        />
      )}
      {phone ? (
        <PagedCards
          paged={paged}
          testId="draws-cards"
          rowKey={(d) => d.id}
          renderCard={(d) => (
            <Card size="small" style={{ width: '100%' }} onClick={() => open(d.id)} data-testid={`draw-card-${d.id}`}>
              <div style={{ display: 'flex', justifyContent: 'space-between' }}>
                <b>
                  {d.from} – {d.to}
                </b>
                <span>{percent(d.agreementRate)}</span>
              </div>
              <div style={{ fontSize: 12 }}>
                {d.regionName} · {shareText(d)} · {t('asm.q.col.size')} {d.sampleSize} · {t('asm.q.col.done')} {d.reassessed}
              </div>
            </Card>
          )}
        />
      ) : (
        <PagedTable<DrawSummary> paged={paged} testId="draws-table" size="small" rowKey={(d) => d.id} columns={columns} scroll={{ x: 900 }} />
      )}
      <div style={{ marginTop: 12 }}>
        {drawId !== null ? (
          <Samples id={drawId} canAssign={officer} />
        ) : (
          paged.data.total > 0 && <Typography.Text type="secondary">{t('asm.q.pickDraw')}</Typography.Text>
        )}
      </div>
    </div>
  );
}
