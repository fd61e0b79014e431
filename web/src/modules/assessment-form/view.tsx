import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Input, Result, Space, Spin, Steps, Table, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { shanghaiTime } from '../../shared/format';
import { useAssessment, useAssessmentStep, useConflicts, useResolveConflict } from './api';
import { instrument, levelName, pickText } from './instrument';
import { AdjustmentList } from './parts';
import { SignatureField } from './signature';
import type { AssessmentView, ConflictView } from './types';

const { Text, Title } = Typography;

/** The answers by indicator: item, the answer's wording, its score; sub-totals. */
export function AnswersTable({ view }: { view: AssessmentView }) {
  const { t, locale } = useI18n();
  const data = instrument(view.instrumentVersion);
  return (
    <>
      {data.indicators.map((ind) => (
        <Table
          key={ind.code}
          size="small"
          pagination={false}
          rowKey="code"
          style={{ marginBottom: 12 }}
          data-testid={`af-answers-${ind.code}`}
          title={() => (
            <b>
              {ind.code} {pickText(ind, locale)} — {t('af.subtotal')} {view.scoring.subtotals[ind.code] ?? 0} / {ind.max}
            </b>
          )}
          dataSource={ind.items.map((item) => {
            const v = view.answers[item.code];
            const opt = item.options.find((o) => o.score === v);
            return { code: item.code, name: pickText(item, locale), answer: opt ? pickText(opt, locale) : '—', score: v ?? null };
          })}
          columns={[
            { title: t('af.item'), dataIndex: 'name', width: 200, render: (n: string, r) => `${r.code} ${n}` },
            { title: t('af.answer'), dataIndex: 'answer' },
            { title: t('af.score'), dataIndex: 'score', width: 80, align: 'right' },
          ]}
        />
      ))}
    </>
  );
}

/** Sub-totals, total, the preliminary level, C.4's adjustments named, the final level. */
export function LevelsBlock({ view }: { view: AssessmentView }) {
  const { t, locale } = useI18n();
  const data = instrument(view.instrumentVersion);
  return (
    <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }}>
      {data.indicators.map((ind) => (
        <Descriptions.Item key={ind.code} label={`${ind.code} ${pickText(ind, locale)}`}>
          {view.scoring.subtotals[ind.code] ?? 0} / {ind.max}
        </Descriptions.Item>
      ))}
      <Descriptions.Item label={t('af.total')}>
        <b data-testid="af-view-total">
          {view.scoring.total} / {data.total.max}
        </b>
      </Descriptions.Item>
      <Descriptions.Item label={t('af.level.preliminary')}>{levelName(view.instrumentVersion, view.scoring.preliminary, locale)}</Descriptions.Item>
      <Descriptions.Item label={t('af.adjustments')} span={2}>
        <AdjustmentList adjustments={view.scoring.adjustments} />
      </Descriptions.Item>
      <Descriptions.Item label={t('af.level.final')} span={2}>
        <b data-testid="af-view-level">{levelName(view.instrumentVersion, view.scoring.final, locale)}</b>
      </Descriptions.Item>
    </Descriptions>
  );
}

function statusLabel(v: AssessmentView): 'af.status.draft' | 'af.status.submitted' | 'af.status.cosigned' | 'af.status.reviewed' {
  if (v.status === 'reviewed') return 'af.status.reviewed';
  if (v.status === 'submitted') return v.cosigned ? 'af.status.cosigned' : 'af.status.submitted';
  return 'af.status.draft';
}

/** /assessments/:id: the record, its progress, and what the viewer may do with it now. */
export function AssessmentViewPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const id = Number(useParams().id);
  const query = useAssessment(id);
  const step = useAssessmentStep(id);
  const [signature, setSignature] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState(false);
  const v = query.data;
  const conflicts = useConflicts(id, !!v && v.openConflicts >= 0);

  if (query.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (!v) return <Result status="404" title={query.error?.message ?? t('af.notFound')} />;

  const done = (e: unknown) => message.error(e instanceof Error ? e.message : String(e));
  // the steps done are ticked, the one waiting is the current
  const current = v.status === 'reviewed' ? 4 : v.cosigned ? 3 : v.status === 'submitted' ? 2 : 1;

  return (
    <div data-testid="af-view" style={{ maxWidth: 1100 }}>
      <Space style={{ justifyContent: 'space-between', width: '100%', flexWrap: 'wrap' }}>
        <Title level={4} style={{ margin: 0 }}>
          {t('af.title.view')} #{v.id}
          <Text style={{ marginLeft: 12, fontSize: 16 }}>
            {v.personName} · {v.idMasked} · {t('af.person.age', { age: v.ageAtReference })} · {v.regionName}
          </Text>
        </Title>
        <Space wrap>
          <Tag color={v.status === 'reviewed' ? 'green' : v.status === 'submitted' ? 'blue' : 'default'} data-testid="af-view-status">
            {t(statusLabel(v))}
          </Tag>
          <Link to={`/assessments/${v.id}/report`} data-testid="af-report-link">
            {t('af.report')}
          </Link>
        </Space>
      </Space>
      {v.supersededBy && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          message={<Link to={`/assessments/${v.supersededBy}`}>{t('af.supersededBy', { id: v.supersededBy })}</Link>}
        />
      )}
      {v.supersedesId && (
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 12 }}
          message={<Link to={`/assessments/${v.supersedesId}`}>{t('af.supersedes', { id: v.supersedesId })}</Link>}
          description={v.correctionReason ? `${t('af.correctionReason')}：${v.correctionReason}` : undefined}
        />
      )}

      <Card size="small" style={{ marginTop: 12 }} title={t('af.timeline')}>
        <Steps
          size="small"
          current={current}
          data-testid="af-timeline"
          items={[
            { title: t('af.timeline.created'), description: `${v.assessor1.name} · ${v.referenceDate}` },
            { title: t('af.timeline.submitted'), description: v.submittedAt ? shanghaiTime(v.submittedAt) : undefined },
            {
              title: t('af.timeline.cosigned'),
              description: v.assessor2 ? `${v.assessor2.name}${v.cosignedAt ? ' · ' + shanghaiTime(v.cosignedAt) : ''}` : undefined,
            },
            {
              title: t('af.timeline.reviewed'),
              description: v.reviewer ? `${v.reviewer.name}${v.reviewedAt ? ' · ' + shanghaiTime(v.reviewedAt) : ''}` : undefined,
            },
          ]}
        />
        {v.reviewNote && (
          <div style={{ marginTop: 8 }}>
            {t('af.reviewNote')}：{v.reviewNote}
          </div>
        )}
      </Card>

      {(v.can.edit || v.can.submit || v.can.cosign || v.can.review || v.can.correct) && (
        <Card size="small" style={{ marginTop: 12 }} data-testid="af-actions">
          <Space wrap align="start">
            {v.can.edit && (
              <Link to={`/assessments/${v.id}/edit`}>
                <Button size="large">{t('af.edit')}</Button>
              </Link>
            )}
            {v.can.submit && (
              <Button
                size="large"
                type="primary"
                loading={step.isPending}
                data-testid="af-view-submit"
                onClick={() => step.mutate({ step: 'submit', version: v.version }, { onError: done })}
              >
                {t('af.submit')}
              </Button>
            )}
            {v.can.correct && (
              <Link to={`/assessments/new?supersedes=${v.id}&personId=${v.personId}`}>
                <Button size="large">{t('af.correct')}</Button>
              </Link>
            )}
          </Space>
          {v.can.cosign && (
            <div style={{ marginTop: 12 }} data-testid="af-cosign">
              <b>{t('af.sign.cosign')}</b>
              <SignatureField testid="af-cosign-pad" value={signature} onChange={setSignature} />
              <Button
                size="large"
                type="primary"
                style={{ marginTop: 8 }}
                disabled={!signature}
                loading={step.isPending}
                data-testid="af-cosign-submit"
                onClick={() => signature && step.mutate({ step: 'cosign', version: v.version, signature }, { onError: done })}
              >
                {t('af.cosign')}
              </Button>
            </div>
          )}
          {v.can.review && (
            <div style={{ marginTop: 12, maxWidth: 560 }} data-testid="af-review">
              <Input.TextArea
                rows={2}
                maxLength={500}
                placeholder={t('af.reviewNote')}
                value={note}
                status={noteError ? 'error' : undefined}
                onChange={(e) => {
                  setNote(e.target.value);
                  setNoteError(false);
                }}
                data-testid="af-review-note"
              />
              {noteError && <Text type="danger">{t('af.reviewNote.required')}</Text>}
              <Space style={{ marginTop: 8 }}>
                <Button
                  size="large"
                  type="primary"
                  loading={step.isPending}
                  data-testid="af-approve"
                  onClick={() => step.mutate({ step: 'review', version: v.version, decision: 'approve', note }, { onError: done })}
                >
                  {t('af.approve')}
                </Button>
                <Button
                  size="large"
                  danger
                  loading={step.isPending}
                  data-testid="af-return"
                  onClick={() => {
                    if (!note.trim()) return setNoteError(true);
                    step.mutate({ step: 'review', version: v.version, decision: 'return', note }, { onError: done });
                  }}
                >
                  {t('af.return')}
                </Button>
              </Space>
            </div>
          )}
        </Card>
      )}

      {(conflicts.data?.items.length ?? 0) > 0 && <ConflictsCard view={v} items={conflicts.data!.items} />}

      <Card size="small" style={{ marginTop: 12 }} title={t('af.report.a1')}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
          <Descriptions.Item label={t('af.referenceDate')}>{v.referenceDate}</Descriptions.Item>
          <Descriptions.Item label={t('af.reason')}>{t(`af.reason.${v.reason}`)}</Descriptions.Item>
          <Descriptions.Item label={t('af.place')}>{t(`af.place.${v.place}`)}</Descriptions.Item>
          <Descriptions.Item label={t('af.assessor1')}>{v.assessor1.name}</Descriptions.Item>
          <Descriptions.Item label={t('af.assessor2')}>{v.assessor2?.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('af.nextDue')}>{v.nextDue ?? '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" style={{ marginTop: 12 }} title={t('af.answers')}>
        <LevelsBlock view={v} />
        <div style={{ marginTop: 12 }}>
          <AnswersTable view={v} />
        </div>
        {v.notes && (
          <div>
            {t('af.notes')}：{v.notes}
          </div>
        )}
      </Card>
      <Card size="small" style={{ marginTop: 12 }} title={t('af.signatures')}>
        <Space wrap size={24}>
          <SignatureShown label={`${t('af.assessor1')} ${v.assessor1.name}`} image={v.signatures.assessor1} />
          <SignatureShown label={`${t('af.assessor2')} ${v.assessor2?.name ?? ''}`} image={v.signatures.assessor2} />
          <SignatureShown
            label={v.signatures.elder ? `${t(`af.sign.signer.${v.signatures.elder.signer}`)} ${v.signatures.elder.name}` : t('af.sign.elder')}
            image={v.signatures.elder?.image ?? null}
          />
        </Space>
      </Card>
      <Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
        {instrument(v.instrumentVersion).title[locale === 'en' ? 'en' : 'zh']}
      </Text>
    </div>
  );
}

function SignatureShown({ label, image }: { label: string; image: string | null }) {
  return (
    <div>
      <div>{label}</div>
      {image ? (
        <img src={image} alt={label} style={{ height: 80, border: '1px solid #f0f0f0', background: '#fff' }} />
      ) : (
        <div style={{ height: 80, width: 200, borderBottom: '1px solid #999' }} />
      )}
    </div>
  );
}

/** Stale edits kept beside the record: the device's version beside the server's, and how to settle each. */
function ConflictsCard({ view, items }: { view: AssessmentView; items: ConflictView[] }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const resolve = useResolveConflict();
  const data = instrument(view.instrumentVersion);
  const names = new Map(data.indicators.flatMap((i) => i.items.map((it) => [it.code, pickText(it, locale)] as const)));
  return (
    <Card size="small" style={{ marginTop: 12, borderColor: '#ff7875' }} title={t('af.conflicts')} data-testid="af-conflicts">
      {items.map((c) => {
        const codes = [...new Set([...Object.keys(c.draft.answers), ...Object.keys(view.answers)])]
          .filter((k) => c.draft.answers[k] !== view.answers[k])
          .sort();
        return (
          <div key={c.id} style={{ marginBottom: 16 }} data-testid={`af-conflict-${c.id}`}>
            <div>
              <b>#{c.id}</b> {t('af.conflicts.by', { name: c.by.name, at: shanghaiTime(c.at) })}
            </div>
            {codes.length === 0 ? (
              <Text type="secondary">{t('af.conflicts.same')}</Text>
            ) : (
              <Table
                size="small"
                pagination={false}
                rowKey="code"
                dataSource={codes.map((code) => ({
                  code,
                  name: names.get(code) ?? code,
                  device: c.draft.answers[code] ?? '—',
                  server: view.answers[code] ?? '—',
                }))}
                columns={[
                  { title: t('af.conflicts.diff'), dataIndex: 'name', render: (n: string, r) => `${r.code} ${n}` },
                  { title: t('af.conflicts.device', { v: c.baseVersion }), dataIndex: 'device', align: 'right' },
                  { title: t('af.conflicts.server', { v: c.serverVersion }), dataIndex: 'server', align: 'right' },
                ]}
              />
            )}
            {c.resolvedAt ? (
              <Text type="secondary">
                {t('af.conflicts.resolved', { how: c.resolution === 'reapplied' ? t('af.conflicts.reapply') : t('af.conflicts.keep') })} ·{' '}
                {shanghaiTime(c.resolvedAt)}
              </Text>
            ) : (
              <Space style={{ marginTop: 8 }}>
                <Button onClick={() => resolve.mutate({ conflictId: c.id, resolution: 'kept_server' }, { onError: (e) => message.error(e.message) })}>
                  {t('af.conflicts.keep')}
                </Button>
                <Button
                  type="primary"
                  disabled={view.status !== 'draft'}
                  onClick={() => resolve.mutate({ conflictId: c.id, resolution: 'reapplied' }, { onError: (e) => message.error(e.message) })}
                >
                  {t('af.conflicts.reapply')}
                </Button>
              </Space>
            )}
          </div>
        );
      })}
    </Card>
  );
}
