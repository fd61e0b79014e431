import { useState } from 'react';
import { Alert, App, Button, Checkbox, Input, Modal, Radio, Rate, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import type { MessageKey } from '../../shared/i18n-core';
import { useI18n } from '../../shared/i18n-core';
import { PagedTable, usePaged } from '../../shared/paged';
import { fetchSurveys, keys, useAnswer, useDraw, useResults, type SurveyCall } from './api';

const thisMonth = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
const daysAgo = (n: number) => new Date(Date.now() + 8 * 3_600_000 - n * 86_400_000).toISOString().slice(0, 10);
type Scores = { overall: number; punctuality: number; attitude: number; quality: number };

/** 满意度回访: the month's sample, each call's result entered by an officer or operator; results per provider. */
export function SurveysPage() {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [period, setPeriod] = useState(thisMonth());
  const [flagged, setFlagged] = useState(false);
  const f = { period, flagged: flagged ? 'true' : undefined };
  const paged = usePaged([...keys.surveys, f], (page, pageSize) => fetchSurveys(f, page, pageSize));
  const draw = useDraw();
  const [open, setOpen] = useState<SurveyCall | null>(null);
  const questions = paged.answer?.questions ?? [];
  const columns: ColumnsType<SurveyCall> = [
    { title: t('cp.sv.col.person'), key: 'p', render: (_, c) => `${c.person.name} ${c.person.idMasked}` },
    { title: t('cp.sv.col.target'), key: 't', render: (_, c) => c.target.name },
    { title: t('cp.sv.col.served'), dataIndex: 'servedOn', width: 110 },
    { title: t('cp.sv.col.status'), dataIndex: 'status', width: 100, render: (s: string) => t(`cp.sv.status.${s}` as MessageKey) },
    {
      title: t('cp.sv.col.result'),
      key: 'r',
      render: (_, c) =>
        c.given === 'no' ? (
          <Tag color="red" data-testid="cp-sv-flag">
            <Link to={`/complaints/${c.complaintId}`}>{t('cp.sv.notGiven', { id: c.complaintId ?? '' })}</Link>
          </Tag>
        ) : c.percent !== null ? (
          `${c.percent}%`
        ) : (
          '—'
        ),
    },
    {
      title: '',
      key: 'a',
      width: 110,
      render: (_, c) =>
        c.status !== 'answered' && (
          <Button size="small" onClick={() => setOpen(c)} data-testid={`cp-sv-answer-${c.id}`}>
            {t('cp.sv.answer')}
          </Button>
        ),
    },
  ];
  return (
    <div data-testid="cp-surveys">
      <Typography.Title level={4}>{t('cp.sv.title')}</Typography.Title>
      <Alert type="info" showIcon message={t('cp.sv.intro')} style={{ marginBottom: 12 }} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input style={{ width: 120 }} value={period} onChange={(e) => setPeriod(e.target.value)} aria-label={t('cp.sv.period')} />
        <Button
          type="primary"
          loading={draw.isPending}
          onClick={() =>
            draw.mutate(period, {
              onSuccess: (r) => void message.success(t('cp.sv.drawn', { n: r.drawn, c: r.candidates, seed: r.seed.slice(0, 12) })),
              onError: (e) => void message.error(e.message),
            })
          }
        >
          {t('cp.sv.draw')}
        </Button>
        <Checkbox checked={flagged} onChange={(e) => setFlagged(e.target.checked)}>
          {t('cp.sv.flagged')}
        </Checkbox>
      </Space>
      <PagedTable<SurveyCall> paged={paged} testId="cp-sv-list" size="small" rowKey={(c) => c.id} columns={columns} scroll={{ x: 800 }} />
      {open && (
        <AnswerModal call={open} questions={questions.map((q) => ({ key: q.key, label: pick(q.label.zh, q.label.en) }))} onClose={() => setOpen(null)} />
      )}
      <Results />
    </div>
  );
}

function AnswerModal({ call, questions, onClose }: { call: SurveyCall; questions: { key: string; label: string }[]; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const answer = useAnswer();
  const [outcome, setOutcome] = useState<'yes' | 'no' | 'unreachable'>('yes');
  const [scores, setScores] = useState<Scores>({ overall: 0, punctuality: 0, attitude: 0, quality: 0 });
  const [note, setNote] = useState('');
  const complete = outcome !== 'yes' || Object.values(scores).every((s) => s >= 1);
  const save = () =>
    answer.mutate(
      {
        id: call.id,
        body:
          outcome === 'unreachable'
            ? { outcome: 'unreachable', via: 'officer', ...(note ? { note } : {}) }
            : { outcome: 'answered', given: outcome, ...(outcome === 'yes' ? { answers: scores } : {}), via: 'officer', ...(note ? { note } : {}) },
      },
      { onSuccess: onClose, onError: (e) => void message.error(e.message) },
    );
  return (
    <Modal
      open
      title={`${t('cp.sv.answer')} · ${call.person.name}`}
      onCancel={onClose}
      onOk={save}
      okText={t('cp.sv.save')}
      okButtonProps={{ disabled: !complete, loading: answer.isPending }}
    >
      <Typography.Paragraph strong>{t('cp.sv.given')}</Typography.Paragraph>
      <Radio.Group value={outcome} onChange={(e) => setOutcome(e.target.value as typeof outcome)} style={{ marginBottom: 12 }}>
        <Radio value="yes">{t('cp.sv.yes')}</Radio>
        <Radio value="no">{t('cp.sv.no')}</Radio>
        <Radio value="unreachable">{t('cp.sv.unreachable')}</Radio>
      </Radio.Group>
      {outcome === 'yes' &&
        questions.map((q) => (
          <div key={q.key} style={{ display: 'flex', justifyContent: 'space-between', flexWrap: 'wrap', marginBottom: 6 }}>
            <span>{q.label}</span>
            <Rate value={scores[q.key as keyof Scores]} onChange={(v) => setScores((s) => ({ ...s, [q.key]: v }))} />
          </div>
        ))}
      <Input.TextArea rows={2} placeholder={t('cp.sv.note')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
    </Modal>
  );
}

function Results() {
  const { t } = useI18n();
  const from = daysAgo(90);
  const to = daysAgo(0);
  const r = useResults(from, to);
  return (
    <div style={{ marginTop: 24 }}>
      <Typography.Title level={5}>{t('cp.sv.results')}</Typography.Title>
      <Table
        size="small"
        loading={r.isLoading}
        rowKey={(x) => `${x.target.kind}:${x.target.id}`}
        dataSource={r.data?.items ?? []}
        pagination={false}
        scroll={{ x: 600 }}
        data-testid="cp-sv-results"
        columns={[
          { title: t('cp.sv.col.target'), key: 't', render: (_, x) => x.target.name },
          { title: t('cp.sv.r.responses'), dataIndex: 'responses', align: 'right' },
          { title: t('cp.sv.r.mean'), key: 'm', align: 'right', render: (_, x) => (x.responses ? `${x.meanPercent}%` : '—') },
          { title: t('cp.sv.r.notGiven'), dataIndex: 'notGiven', align: 'right' },
          { title: t('cp.sv.r.complaints'), dataIndex: 'complaints', align: 'right' },
          { title: t('cp.sv.r.substantiated'), dataIndex: 'substantiated', align: 'right' },
        ]}
      />
    </div>
  );
}
