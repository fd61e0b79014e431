import { useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Select, Table, Tag, Typography } from 'antd';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n-core';
import { useAddConflict, useCompute, useConflicts, useEndConflict, useFormula, usePools, useRatings, type RatingView } from './api';
import { StratumTag } from './round-view';

function Explanation({ r }: { r: RatingView }) {
  const { t, locale } = useI18n();
  const f = useFormula();
  const x = r.explanation;
  const label = (k: string) => (locale === 'en' ? f.data?.termLabels[k]?.en : f.data?.termLabels[k]?.zh) ?? k;
  const itemLabel = (k: string) => {
    const item = f.data?.checklists.flatMap((c) => c.items).find((i) => i.key === k);
    return item ? (locale === 'en' ? item.label.en : item.label.zh) : t('sv.ratings.capItemUnknown');
  };
  /** the cap as a term of its own: its rule, what caused it (inspection and item), what it did to the score */
  const capLine = (cap: NonNullable<RatingView['explanation']['cap']>) => {
    const where = cap.seriousFindings.map((s) => t('sv.ratings.capWhere', { id: s.inspectionId, item: itemLabel(s.itemKey) })).join(t('sv.ratings.capSep'));
    const vars = { where: where || t('sv.ratings.capWhereNone'), grade: cap.maxGrade, from: cap.scoreBefore, to: cap.scoreAfter, raw: x.rawGrade };
    return cap.applied ? t('sv.ratings.capApplied', vars) : t('sv.ratings.capNotApplied', vars);
  };
  return (
    <div data-testid="sv-explanation">
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('sv.col.window')}>
          {r.windowFrom} – {r.windowTo}
        </Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        scroll={{ x: 420 }}
        dataSource={x.terms}
        columns={[
          { title: '', key: 'k', render: (_, term) => label(term.key) },
          { title: t('sv.term.input'), dataIndex: 'input', width: 70, align: 'right', render: (v: number, term) => (term.applies ? v : t('sv.term.na')) },
          { title: t('sv.term.weight'), dataIndex: 'pointsPerUnit', width: 80, align: 'right' },
          { title: t('sv.term.max'), dataIndex: 'maxPoints', width: 60, align: 'right' },
          { title: t('sv.term.points'), dataIndex: 'points', width: 70, align: 'right', render: (v: number) => (v ? `−${v}` : '0') },
        ]}
      />
      <Typography.Paragraph style={{ marginTop: 12 }}>{t('sv.ratings.raw', { score: x.rawScore, grade: x.rawGrade })}</Typography.Paragraph>
      {x.cap && <Alert type="warning" showIcon message={<span data-testid="sv-cap-line">{capLine(x.cap)}</span>} style={{ marginBottom: 8 }} />}
      <Typography.Paragraph strong>{t('sv.ratings.final', { score: x.score, grade: x.grade })}</Typography.Paragraph>
    </div>
  );
}

/** 信用评价: the latest rating of every target, worst first; each explained term by term. */
export function RatingsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const q = useRatings();
  const f = useFormula();
  const compute = useCompute();
  const [open, setOpen] = useState<RatingView | null>(null);
  return (
    <div data-testid="sv-ratings-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('sv.ratings.title')}
        </Typography.Title>
        {can('supervision.manage') && (
          <Button
            loading={compute.isPending}
            onClick={() =>
              compute.mutate(undefined, {
                onSuccess: (r) => void message.success(t('sv.ratings.computed', { n: r.computed })),
                onError: (e) => void message.error(e.message),
              })
            }
          >
            {t('sv.ratings.compute')}
          </Button>
        )}
      </div>
      <Alert type="info" showIcon message={t('sv.ratings.intro', { cap: f.data?.formula.seriousFindingCap ?? 'C' })} style={{ marginBottom: 12 }} />
      <Table
        size="small"
        rowKey="targetKey"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 560 }}
        data-testid="sv-ratings"
        columns={[
          { title: t('sv.col.target'), dataIndex: 'targetName' },
          { title: t('sv.col.score'), dataIndex: 'score', width: 70, align: 'right' },
          {
            title: t('sv.col.grade'),
            dataIndex: 'grade',
            width: 130,
            render: (g: string, r) => (
              <span style={{ whiteSpace: 'nowrap' }}>
                <StratumTag s={g} />
                {r.capped && (
                  <>
                    {' '}
                    <Tag>{t('sv.ratings.capped')}</Tag>
                  </>
                )}
              </span>
            ),
          },
          {
            title: '',
            key: 'x',
            width: 110,
            render: (_, r) => (
              <Button size="small" onClick={() => setOpen(r)}>
                {t('sv.ratings.explain')}
              </Button>
            ),
          },
        ]}
      />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        title={open ? `${open.targetName} · ${open.score} · ${open.grade}` : ''}
        width={Math.min(640, window.innerWidth)}
      >
        {open && <Explanation r={open} />}
      </Drawer>
    </div>
  );
}

/** 回避关系: inspectors' declared links, kept by the bureau. */
export function ConflictsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const q = useConflicts();
  const pools = usePools();
  const add = useAddConflict();
  const end = useEndConflict();
  const [form] = Form.useForm<{ inspectorId: number; targetKey: string; relation: string; note?: string }>();
  const relations = ['worked_there', 'relative_works', 'owns_share', 'other'] as const;
  return (
    <div data-testid="sv-conflicts-page">
      <Typography.Title level={4}>{t('sv.conflicts.title')}</Typography.Title>
      <Alert type="info" showIcon message={t('sv.conflicts.intro')} style={{ marginBottom: 12 }} />
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onFinish={(v) => add.mutate(v, { onSuccess: () => form.resetFields(), onError: (e) => void message.error(e.message) })}
      >
        <Form.Item name="inspectorId" rules={[{ required: true }]}>
          <Select
            placeholder={t('sv.conflicts.inspector')}
            style={{ minWidth: 160 }}
            options={pools.data?.inspectors.map((i) => ({ value: i.id, label: i.name }))}
          />
        </Form.Item>
        <Form.Item name="targetKey" rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            placeholder={t('sv.conflicts.target')}
            style={{ minWidth: 220 }}
            options={pools.data?.targets.map((x) => ({ value: x.key, label: x.name }))}
          />
        </Form.Item>
        <Form.Item name="relation" rules={[{ required: true }]}>
          <Select
            placeholder={t('sv.conflicts.relation')}
            style={{ minWidth: 160 }}
            options={relations.map((r) => ({ value: r, label: t(`sv.relation.${r}`) }))}
          />
        </Form.Item>
        <Form.Item name="note">
          <Input placeholder={t('sv.conflicts.note')} maxLength={200} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={add.isPending}>
          {t('sv.conflicts.add')}
        </Button>
      </Form>
      <Table
        size="small"
        rowKey="id"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 600 }}
        columns={[
          { title: t('sv.conflicts.inspector'), dataIndex: 'inspectorName' },
          { title: t('sv.conflicts.target'), dataIndex: 'targetName' },
          { title: t('sv.conflicts.relation'), dataIndex: 'relation', render: (r: (typeof relations)[number]) => t(`sv.relation.${r}`) },
          { title: t('sv.conflicts.note'), dataIndex: 'note' },
          {
            title: '',
            key: 'e',
            width: 80,
            render: (_, c) => (
              <Button size="small" danger onClick={() => end.mutate(c.id)}>
                {t('sv.conflicts.end')}
              </Button>
            ),
          },
        ]}
      />
    </div>
  );
}
