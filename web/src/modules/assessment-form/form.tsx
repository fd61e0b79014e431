import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Col, DatePicker, Input, InputNumber, Result, Row, Select, Space, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useI18n, type MessageKey } from '../../i18n';
import { get } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { levelOfTotal } from '../../../../src/modules/assessment/instrument/score';
import { latestAssessmentOf, useAssessors, usePerson } from './api';
import { emptyForm, formFromDraft, formFromView, localToday, missingForSubmit, prefillBasic, toDraft, type FormState } from './form-state';
import { CURRENT_VERSION, instrument, levelName, pickText, scoreForm, type ScoreResult } from './instrument';
import {
  listDrafts,
  loadAssessors,
  loadDraft,
  loadPeople,
  newClientId,
  onDraftsChanged,
  queueSubmit,
  refreshSession,
  saveAssessors,
  saveDraft,
  sendDraft,
  type LocalDraft,
} from './offline';
import { registerServiceWorker } from './register-sw';
import { SignatureField } from './signature';
import { DraftsPage } from './drafts';
import { AdjustmentList, SyncBadge } from './parts';
import { useOnline, useOutbox } from './use-offline';
import type { AssessmentView, BasicInfo, HealthInfo } from './types';

const { Text, Title } = Typography;

interface Ids {
  clientId: string;
  serverId: number | null;
  serverVersion: number | null;
}
interface PersonInfo {
  name: string;
  idMasked: string;
  age: number | null;
}

/** Large touch buttons, one per choice: what a finger hits on a tablet. */
function Choices<T extends string | number>({
  value,
  options,
  onPick,
  testid,
  columns = 1,
}: {
  value: T | T[] | null | undefined;
  options: { value: T; label: ReactNode }[];
  onPick: (v: T) => void;
  testid: string;
  columns?: number;
}) {
  const chosen = (v: T) => (Array.isArray(value) ? value.includes(v) : value === v);
  return (
    <div className="af-choices" style={{ display: 'grid', gridTemplateColumns: `repeat(auto-fit, minmax(${columns > 1 ? 150 : 260}px, 1fr))`, gap: 8 }}>
      {options.map((o) => (
        <Button
          key={String(o.value)}
          type={chosen(o.value) ? 'primary' : 'default'}
          aria-pressed={chosen(o.value)}
          data-testid={`${testid}-${o.value}`}
          onClick={() => onPick(o.value)}
          style={{ minHeight: 56, height: 'auto', whiteSpace: 'normal', textAlign: 'left', justifyContent: 'flex-start', padding: '8px 14px', fontSize: 16 }}
        >
          {o.label}
        </Button>
      ))}
    </div>
  );
}

const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

/** The running sub-totals, total and provisional level: always in view while the form scrolls. */
function ScoreBar({ result, version, state, saved }: { result: ScoreResult; version: string; state: LocalDraft['state'] | null; saved: string | null }) {
  const { t, locale } = useI18n();
  const data = instrument(version);
  const complete = result.preliminary !== null;
  const provisional = complete ? result.final : result.total >= 0 ? levelOfTotal(data, result.total) : null;
  return (
    <div
      data-testid="af-scorebar"
      style={{ position: 'sticky', top: 0, zIndex: 20, background: '#fff', borderBottom: '1px solid #f0f0f0', padding: '8px 0', marginBottom: 12 }}
    >
      <Space wrap size={[16, 4]} style={{ width: '100%' }}>
        {data.indicators.map((ind) => (
          <Text key={ind.code} data-testid={`af-subtotal-${ind.code}`}>
            {pickText(ind, locale)} <b>{result.subtotals[ind.code] ?? 0}</b> / {ind.max}
          </Text>
        ))}
        <Text strong data-testid="af-total" style={{ fontSize: 16 }}>
          {t('af.total')} {result.total} / {data.total.max}
        </Text>
        <Tag color={complete ? 'red' : 'default'} data-testid="af-level" style={{ fontSize: 14, padding: '2px 8px' }}>
          {complete ? t('af.level.final') : t('af.level.provisional')}：{levelName(version, provisional, locale)}
          {complete ? '' : `（${t('af.level.pending')}）`}
        </Tag>
        {result.answered < result.items && <Text type="warning">{t('af.unansweredCount', { n: result.items - result.answered })}</Text>}
        {state && <SyncBadge state={state} />}
        {saved && (
          <Text type="secondary" style={{ fontSize: 12 }}>
            {t('af.saved', { time: dayjs(saved).format('HH:mm:ss') })}
          </Text>
        )}
      </Space>
    </div>
  );
}

type StepKey = 'start' | 'B.1' | 'B.2' | 'B.3' | 'B.4' | 'basic' | 'sign' | 'summary';

/**
 * The assessment form (issue 15): tablet-first, offline. /assessments/new?personId=N (a new one),
 * ?supersedes=ID (a correction), ?clientId=X (a draft on this device), /assessments/:id/edit;
 * /assessments/new alone is the day's landing: the drafts on this device and the people kept.
 */
export function AssessmentFormPage() {
  const params = useParams();
  const [search] = useSearchParams();
  if (!params.id && !search.get('personId') && !search.get('clientId') && !search.get('supersedes')) return <DraftsPage />;
  return <AssessmentForm />;
}

function AssessmentForm() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const params = useParams();
  const [search] = useSearchParams();
  const online = useOnline();
  useOutbox(user?.id);
  useEffect(registerServiceWorker, []);

  const editId = params.id ? Number(params.id) : null;
  const [ids, setIds] = useState<Ids | null>(null);
  const [form, setForm] = useState<FormState | null>(null);
  const [local, setLocal] = useState<LocalDraft | null>(null);
  const [prefilledFrom, setPrefilledFrom] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [step, setStep] = useState<StepKey>('start');
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [showMissing, setShowMissing] = useState(false);
  const dirty = useRef(false);
  const version = CURRENT_VERSION;

  // where the form comes from: a draft on this device, a record on the server, or a new one
  useEffect(() => {
    if (!user) return;
    let live = true;
    const q = (k: string) => search.get(k);
    void (async () => {
      try {
        const clientId = q('clientId');
        if (clientId) {
          const d = await loadDraft(user.id, clientId);
          if (d) {
            if (!live) return;
            setIds({ clientId, serverId: d.serverId, serverVersion: d.serverVersion });
            setForm(formFromDraft(d.draft));
            setLocal(d);
            return;
          }
        }
        if (editId) {
          const d = (await listDrafts(user.id)).find((x) => x.serverId === editId);
          if (d) {
            if (!live) return;
            setIds({ clientId: d.clientId, serverId: d.serverId, serverVersion: d.serverVersion });
            setForm(formFromDraft(d.draft));
            setLocal(d);
            return;
          }
          const v = await get<AssessmentView>(`/api/assessments/${editId}`);
          if (!live) return;
          setIds({ clientId: v.clientId, serverId: v.id, serverVersion: v.version });
          setForm(formFromView(v));
          return;
        }
        const id = clientId ?? newClientId();
        const personId = Number(q('personId')) || null;
        let f = emptyForm(personId);
        const supersedes = Number(q('supersedes')) || null;
        if (supersedes) {
          // a correction starts from the reviewed record, without its signatures, and says why
          const v = await get<AssessmentView>(`/api/assessments/${supersedes}`);
          f = { ...formFromView(v), referenceDate: localToday(), supersedesId: v.id, correctionReason: '', signatures: { assessor1: null, elder: null } };
        } else if (personId && navigator.onLine) {
          try {
            const last = await latestAssessmentOf(personId);
            if (last) {
              f = prefillBasic(f, last);
              if (live) setPrefilledFrom(last.referenceDate);
            } else f = { ...f, reason: 'first' };
          } catch {
            /* offline or not allowed: nothing to pre-fill */
          }
        }
        if (!live) return;
        setIds({ clientId: id, serverId: null, serverVersion: null });
        setForm(f);
        if (!clientId) {
          const next = new URLSearchParams(search);
          next.set('clientId', id);
          if (f.personId) next.set('personId', String(f.personId));
          navigate({ search: next.toString() }, { replace: true });
        }
      } catch (e) {
        if (live) setLoadError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      live = false;
    };
    // the form is set up once per page (the URL's clientId added above must not start it again)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user?.id, editId]);

  // the person: from the server when online, else the list kept on the device, else the draft's copy
  const personQuery = usePerson(form?.personId ?? null);
  const [cachedPerson, setCachedPerson] = useState<PersonInfo | null>(null);
  useEffect(() => {
    if (!user || !form?.personId) return;
    void loadPeople(user.id).then((p) => {
      const hit = p?.items.find((x) => x.id === form.personId);
      if (hit) setCachedPerson({ name: hit.name, idMasked: hit.idMasked, age: hit.age });
    });
  }, [user, form?.personId]);
  const person: PersonInfo | null = personQuery.data
    ? { name: personQuery.data.person.name, idMasked: personQuery.data.person.idMasked, age: personQuery.data.person.age }
    : (cachedPerson ?? (local?.person.name ? local.person : null));

  // second assessors: from the server, kept for offline
  const assessorsQuery = useAssessors();
  const [assessors, setAssessors] = useState<{ id: number; name: string }[]>([]);
  useEffect(() => {
    if (!user) return;
    if (assessorsQuery.data) {
      const rows = assessorsQuery.data.map((a) => ({ id: a.id, name: a.name }));
      setAssessors(rows);
      void saveAssessors(user.id, rows);
    } else if (assessorsQuery.isError) void loadAssessors(user.id).then((r) => r && setAssessors(r));
  }, [user, assessorsQuery.data, assessorsQuery.isError]);

  // every change is on the device at once
  useEffect(() => {
    if (!dirty.current || !form || !ids || !user) return;
    void saveDraft({
      clientId: ids.clientId,
      userId: user.id,
      draft: toDraft(form, ids.clientId, ids.serverVersion, version),
      person: person ?? { name: '', idMasked: '', age: null },
      serverId: ids.serverId,
      serverVersion: ids.serverVersion,
      submitQueued: false,
    }).then(setLocal);
    // person is a label only; saved with the next change when it arrives later
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [form]);
  // the sync badge follows the outbox
  useEffect(() => {
    if (!user || !ids) return;
    return onDraftsChanged(() => void loadDraft(user.id, ids.clientId).then((d) => d && setLocal(d)));
  }, [user, ids]);

  const update = (f: (s: FormState) => FormState) => {
    dirty.current = true;
    setForm((s) => (s ? f(s) : s));
  };
  const setBasic = (p: Partial<BasicInfo>) => update((s) => ({ ...s, basic: { ...s.basic, ...p } }));
  const setHealth = (p: Partial<HealthInfo>) => update((s) => ({ ...s, health: { ...s.health, ...p } }));

  const result = useMemo(() => (form ? scoreForm(version, form.answers, form.basic, form.health) : null), [form, version]);
  const data = instrument(version);

  if (loadError) return <Result status="warning" title={loadError} extra={<Link to="/assessments/new">{t('af.title.drafts')}</Link>} />;
  if (!form || !ids || !result || !user) return <Spin style={{ display: 'block', margin: 48 }} />;

  const steps: { key: StepKey; label: string }[] = [
    { key: 'start', label: t('af.step.start') },
    ...data.indicators.map((i) => ({ key: i.code as StepKey, label: pickText(i, locale) })),
    { key: 'basic', label: t('af.step.basic') },
    { key: 'sign', label: t('af.step.sign') },
    { key: 'summary', label: t('af.step.summary') },
  ];
  const at = steps.findIndex((s) => s.key === step);
  const go = (k: StepKey) => {
    setStep(k);
    window.scrollTo({ top: 0 });
  };
  const unansweredIn = (code: string) => data.indicators.find((i) => i.code === code)!.items.filter((it) => form.answers[it.code] === undefined).length;
  const missing = missingForSubmit(form, result.preliminary !== null);
  const future = form.referenceDate > localToday();

  const submit = async () => {
    setShowMissing(true);
    setSubmitError(null);
    if (missing.length || future) return;
    setSubmitting(true);
    try {
      await queueSubmit(user.id, ids.clientId);
      if (navigator.onLine) {
        await refreshSession().catch(() => undefined);
        const outcome = await sendDraft(user.id, ids.clientId);
        const d = await loadDraft(user.id, ids.clientId);
        if (d?.submitted && d.serverId) {
          navigate(`/assessments/${d.serverId}`);
          return;
        }
        if (outcome === 'refused') setSubmitError(d?.error ?? null);
      }
    } finally {
      setSubmitting(false);
    }
  };

  const title = form.supersedesId ? t('af.title.correction') : editId ? t('af.title.edit') : t('af.title.new');

  return (
    <div data-testid="assessment-form" className="af-form" style={{ maxWidth: 1100 }}>
      <Space style={{ justifyContent: 'space-between', width: '100%', flexWrap: 'wrap' }}>
        <Title level={4} style={{ margin: 0 }}>
          {title}
          {person && (
            <Text style={{ marginLeft: 12, fontSize: 16 }} data-testid="af-person">
              {person.name} · {person.idMasked}
              {person.age !== null && ` · ${t('af.person.age', { age: person.age })}`}
            </Text>
          )}
        </Title>
        <Link to="/assessments/new">{t('af.title.drafts')}</Link>
      </Space>
      {!online && <Alert type="info" showIcon message={t('af.sync.offline')} style={{ margin: '8px 0' }} data-testid="af-offline" />}
      {online && personQuery.isError && !person && (
        <Alert type="error" showIcon message={t('af.person.notYours')} style={{ margin: '8px 0' }} data-testid="af-person-missing" />
      )}
      {local?.state === 'conflict' && (
        <Alert
          type="error"
          showIcon
          style={{ margin: '8px 0' }}
          message={t('af.sync.conflict')}
          description={
            <>
              {t('af.sync.conflictHelp')} {local.serverId && <Link to={`/assessments/${local.serverId}`}>{t('af.open.server')}</Link>}
            </>
          }
        />
      )}
      {local?.state === 'refused' && local.error && <Alert type="warning" showIcon style={{ margin: '8px 0' }} message={local.error} />}
      <ScoreBar result={result} version={version} state={local?.state ?? null} saved={local?.savedAt ?? null} />
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, marginBottom: 12 }} role="tablist">
        {steps.map((s, i) => {
          const open = s.key.startsWith('B.') ? unansweredIn(s.key) : 0;
          return (
            <Button
              key={s.key}
              role="tab"
              aria-selected={s.key === step}
              type={s.key === step ? 'primary' : 'default'}
              onClick={() => go(s.key)}
              data-testid={`af-step-${s.key}`}
            >
              {i + 1}. {s.label}
              {open > 0 && <Tag style={{ marginLeft: 6, marginRight: 0 }}>{open}</Tag>}
            </Button>
          );
        })}
      </div>

      {step === 'start' && (
        <Card>
          {form.supersedesId && (
            <Field label={t('af.correctionReason')} help={t('af.correctionReason.help', { id: form.supersedesId })}>
              <Input.TextArea
                data-testid="af-correction-reason"
                value={form.correctionReason ?? ''}
                maxLength={500}
                status={showMissing && !form.correctionReason?.trim() ? 'error' : undefined}
                onChange={(e) => update((s) => ({ ...s, correctionReason: e.target.value }))}
              />
            </Field>
          )}
          <Field label={t('af.reason')}>
            <Choices
              testid="af-reason"
              columns={3}
              value={form.reason}
              options={(['first', 'periodic', 'change', 'request', 'admission', 'quality', 'other'] as const).map((r) => ({
                value: r,
                label: t(`af.reason.${r}`),
              }))}
              onPick={(reason) => update((s) => ({ ...s, reason }))}
            />
          </Field>
          <Field label={t('af.referenceDate')} help={future ? t('af.referenceDate.future') : undefined} error={future}>
            <DatePicker
              size="large"
              data-testid="af-date"
              allowClear={false}
              value={dayjs(form.referenceDate)}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              onChange={(d) => d && update((s) => ({ ...s, referenceDate: d.format('YYYY-MM-DD') }))}
            />
          </Field>
          <Field label={t('af.place')}>
            <Choices
              testid="af-place"
              columns={3}
              value={form.place}
              options={(['home', 'institution', 'hospital'] as const).map((p) => ({ value: p, label: t(`af.place.${p}`) }))}
              onPick={(place) => update((s) => ({ ...s, place }))}
            />
          </Field>
          <Field label={t('af.person')} error={!form.personId}>
            {form.personId ? (
              person ? (
                <Text style={{ fontSize: 16 }}>
                  {person.name} · {person.idMasked}
                  {person.age !== null && ` · ${t('af.person.age', { age: person.age })}`}
                </Text>
              ) : (
                <Text type="secondary">{online ? '…' : t('af.person.offlineUnknown')}</Text>
              )
            ) : (
              <Link to="/assessments/new">{t('af.person.missing')}</Link>
            )}
          </Field>
          <Field label={t('af.assessor1')}>
            <Text style={{ fontSize: 16 }}>{user.displayName}</Text>
          </Field>
          <Field label={t('af.assessor2')} help={assessors.length === 0 && !online ? t('af.assessor2.offline') : undefined}>
            <Select
              size="large"
              data-testid="af-assessor2"
              style={{ width: 320, maxWidth: '100%' }}
              placeholder={t('af.assessor2.pick')}
              value={form.assessor2Id ?? undefined}
              allowClear
              showSearch
              optionFilterProp="label"
              options={assessors.filter((a) => a.id !== user.id).map((a) => ({ value: a.id, label: a.name }))}
              onChange={(v: number | undefined) => update((s) => ({ ...s, assessor2Id: v ?? null }))}
            />
          </Field>
        </Card>
      )}

      {data.indicators.map(
        (ind) =>
          step === ind.code && (
            <div key={ind.code}>
              {ind.items.map((item) => {
                const v = form.answers[item.code];
                return (
                  <Card
                    key={item.code}
                    size="small"
                    style={{ marginBottom: 12, borderColor: v === undefined ? '#faad14' : undefined }}
                    data-testid={`af-item-${item.code}`}
                    title={
                      <span style={{ fontSize: 16 }}>
                        {item.code} {pickText(item, locale)}
                        {v === undefined ? (
                          <Tag color="warning" style={{ marginLeft: 8 }}>
                            {t('af.unanswered')}
                          </Tag>
                        ) : (
                          <Tag color="blue" style={{ marginLeft: 8 }}>
                            {t('af.points', { n: v })}
                          </Tag>
                        )}
                      </span>
                    }
                  >
                    <Choices
                      testid={`opt-${item.code}`}
                      value={v}
                      options={item.options.map((o) => ({
                        value: o.score,
                        label: (
                          <span>
                            <b style={{ marginRight: 8 }}>{o.score}</b>
                            {pickText(o, locale)}
                          </span>
                        ),
                      }))}
                      onPick={(score) => update((s) => ({ ...s, answers: { ...s.answers, [item.code]: score } }))}
                    />
                  </Card>
                );
              })}
            </div>
          ),
      )}

      {step === 'basic' && <BasicStep form={form} setBasic={setBasic} setHealth={setHealth} update={update} prefilledFrom={prefilledFrom} />}

      {step === 'sign' && (
        <Card>
          <Field label={t('af.sign.assessor1')} error={showMissing && !form.signatures.assessor1}>
            <SignatureField
              testid="af-sign-assessor1"
              value={form.signatures.assessor1}
              onChange={(png) => update((s) => ({ ...s, signatures: { ...s.signatures, assessor1: png } }))}
            />
          </Field>
          <Field label={t('af.sign.elder')} error={showMissing && !form.signatures.elder}>
            <ElderSignature form={form} update={update} />
          </Field>
        </Card>
      )}

      {step === 'summary' && (
        <Card data-testid="af-summary">
          <table className="af-summary-table" style={{ width: '100%', maxWidth: 560, borderCollapse: 'collapse', fontSize: 16 }}>
            <tbody>
              {data.indicators.map((ind) => (
                <tr key={ind.code}>
                  <td style={{ padding: 6 }}>
                    {ind.code} {pickText(ind, locale)}
                  </td>
                  <td style={{ padding: 6, textAlign: 'right' }}>
                    {result.subtotals[ind.code] ?? 0} / {ind.max}
                  </td>
                </tr>
              ))}
              <tr style={{ borderTop: '1px solid #d9d9d9' }}>
                <td style={{ padding: 6 }}>
                  <b>{t('af.total')}</b>
                </td>
                <td style={{ padding: 6, textAlign: 'right' }}>
                  <b data-testid="af-summary-total">
                    {result.total} / {data.total.max}
                  </b>
                </td>
              </tr>
              <tr>
                <td style={{ padding: 6 }}>{t('af.level.preliminary')}</td>
                <td style={{ padding: 6, textAlign: 'right' }}>{levelName(version, result.preliminary, locale)}</td>
              </tr>
              <tr>
                <td style={{ padding: 6 }}>{t('af.adjustments')}</td>
                <td style={{ padding: 6, textAlign: 'right' }}>
                  <AdjustmentList adjustments={result.adjustments} />
                </td>
              </tr>
              <tr>
                <td style={{ padding: 6 }}>
                  <b>{t('af.level.final')}</b>
                </td>
                <td style={{ padding: 6, textAlign: 'right' }}>
                  <b data-testid="af-summary-final">{levelName(version, result.final, locale)}</b>
                </td>
              </tr>
            </tbody>
          </table>
          {showMissing && missing.length > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 12 }}
              data-testid="af-missing"
              message={t('af.submit.missing', { what: missing.map((k) => t(k as MessageKey)).join('、') })}
            />
          )}
          {submitError && <Alert type="error" showIcon style={{ marginTop: 12 }} message={submitError} />}
          {local?.submitQueued && !local.submitted && !online && (
            <Alert type="info" showIcon style={{ marginTop: 12 }} message={t('af.submit.queued')} data-testid="af-queued" />
          )}
          <Space style={{ marginTop: 16 }}>
            {local?.submitted && local.serverId ? (
              <Link to={`/assessments/${local.serverId}`}>{t('af.open.view')}</Link>
            ) : (
              <Button
                type="primary"
                size="large"
                loading={submitting}
                onClick={() => void submit()}
                data-testid="af-submit"
                style={{ minWidth: 160, height: 52 }}
              >
                {t('af.submit')}
              </Button>
            )}
            {local?.serverId && !local.submitted && <Link to={`/assessments/${local.serverId}`}>{t('af.open.view')}</Link>}
          </Space>
        </Card>
      )}

      <Space style={{ marginTop: 16, justifyContent: 'space-between', width: '100%' }}>
        <Button size="large" disabled={at <= 0} onClick={() => go(steps[at - 1]!.key)} data-testid="af-prev" style={{ minWidth: 120, height: 52 }}>
          {t('af.prev')}
        </Button>
        <Button
          size="large"
          type="primary"
          disabled={at >= steps.length - 1}
          onClick={() => go(steps[at + 1]!.key)}
          data-testid="af-next"
          style={{ minWidth: 120, height: 52 }}
        >
          {t('af.next')}
        </Button>
      </Space>
    </div>
  );
}

function Field({ label, help, error, children }: { label: string; help?: string; error?: boolean; children: ReactNode }) {
  return (
    <div style={{ marginBottom: 20 }}>
      <div style={{ fontWeight: 600, marginBottom: 6, fontSize: 15, color: error ? '#cf1322' : undefined }}>{label}</div>
      {children}
      {help && (
        <div style={{ marginTop: 4 }}>
          <Text type={error ? 'danger' : 'secondary'}>{help}</Text>
        </div>
      )}
    </div>
  );
}

function ElderSignature({ form, update }: { form: FormState; update: (f: (s: FormState) => FormState) => void }) {
  const { t } = useI18n();
  const [signer, setSigner] = useState<'elder' | 'guardian' | 'informant'>(form.signatures.elder?.signer ?? 'elder');
  const [name, setName] = useState(form.signatures.elder?.name ?? '');
  const set = (image: string | null, who = signer, n = name) =>
    update((s) => ({ ...s, signatures: { ...s.signatures, elder: image ? { image, signer: who, name: n.trim() } : null } }));
  return (
    <div>
      <Space wrap style={{ marginBottom: 8 }}>
        <Choices
          testid="af-signer"
          columns={3}
          value={signer}
          options={(['elder', 'guardian', 'informant'] as const).map((s) => ({ value: s, label: t(`af.sign.signer.${s}`) }))}
          onPick={(s) => {
            setSigner(s);
            if (form.signatures.elder) set(form.signatures.elder.image, s);
          }}
        />
      </Space>
      <div style={{ marginBottom: 8 }}>
        <Input
          size="large"
          data-testid="af-signer-name"
          placeholder={t('af.sign.name')}
          value={name}
          maxLength={40}
          style={{ width: 320, maxWidth: '100%' }}
          onChange={(e) => {
            setName(e.target.value);
            if (form.signatures.elder) set(form.signatures.elder.image, signer, e.target.value);
          }}
        />
      </div>
      <SignatureField testid="af-sign-elder" value={form.signatures.elder?.image ?? null} onChange={(png) => set(png)} />
    </div>
  );
}

/** A.2-A.5 and notes. */
function BasicStep({
  form,
  setBasic,
  setHealth,
  update,
  prefilledFrom,
}: {
  form: FormState;
  setBasic: (p: Partial<BasicInfo>) => void;
  setHealth: (p: Partial<HealthInfo>) => void;
  update: (f: (s: FormState) => FormState) => void;
  prefilledFrom: string | null;
}) {
  const { t } = useI18n();
  const b = form.basic;
  const h = form.health;
  const yesNo = (value: boolean, on: (v: boolean) => void, testid: string) => (
    <Choices
      testid={testid}
      columns={2}
      value={value ? 'yes' : 'no'}
      options={[
        { value: 'no', label: t('af.no') },
        { value: 'yes', label: t('af.yes') },
      ]}
      onPick={(v) => on(v === 'yes')}
    />
  );
  return (
    <Card>
      {prefilledFrom && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('af.prefilled', { date: prefilledFrom })} />}
      <Row gutter={24}>
        <Col xs={24} lg={12}>
          <Field label={t('af.basic.marital')}>
            <Choices
              testid="af-marital"
              columns={3}
              value={b.maritalStatus}
              options={(['married', 'widowed', 'divorced', 'unmarried', 'unknown'] as const).map((v) => ({ value: v, label: t(`af.marital.${v}`) }))}
              onPick={(maritalStatus) => setBasic({ maritalStatus })}
            />
          </Field>
          <Field label={t('af.basic.livingWith')}>
            <Choices
              testid="af-living"
              columns={3}
              value={b.livingWith}
              options={(['alone', 'spouse', 'children', 'relatives', 'carer', 'institution', 'other'] as const).map((v) => ({
                value: v,
                label: t(`af.living.${v}`),
              }))}
              onPick={(v) => setBasic({ livingWith: toggle(b.livingWith, v) })}
            />
          </Field>
          <Field label={t('af.basic.payment')}>
            <Choices
              testid="af-payment"
              columns={3}
              value={b.medicalPayment}
              options={(['employee', 'resident', 'ltc_insurance', 'commercial', 'self', 'other'] as const).map((v) => ({ value: v, label: t(`af.pay.${v}`) }))}
              onPick={(v) => setBasic({ medicalPayment: toggle(b.medicalPayment, v) })}
            />
          </Field>
          <Field label={t('af.basic.income')}>
            <Choices
              testid="af-income"
              columns={3}
              value={b.incomeSource}
              options={(['pension', 'children', 'relatives', 'allowance', 'other'] as const).map((v) => ({ value: v, label: t(`af.income.${v}`) }))}
              onPick={(v) => setBasic({ incomeSource: toggle(b.incomeSource, v) })}
            />
          </Field>
          <Field label={t('af.basic.informant')}>
            <Space wrap>
              <Input
                size="large"
                placeholder={t('af.basic.informantName')}
                value={b.informant.name}
                maxLength={40}
                onChange={(e) => setBasic({ informant: { ...b.informant, name: e.target.value } })}
              />
              <Input
                size="large"
                placeholder={t('af.basic.informantRelation')}
                value={b.informant.relation}
                maxLength={20}
                onChange={(e) => setBasic({ informant: { ...b.informant, relation: e.target.value } })}
              />
            </Space>
          </Field>
          <Field label={t('af.basic.diagnoses')}>
            <Input.TextArea rows={2} maxLength={500} value={b.diagnoses} onChange={(e) => setBasic({ diagnoses: e.target.value })} />
          </Field>
          <Field label={t('af.basic.medications')}>
            <Input.TextArea rows={2} maxLength={500} value={b.medications} onChange={(e) => setBasic({ medications: e.target.value })} />
          </Field>
        </Col>
        <Col xs={24} lg={12}>
          <Field label={t('af.basic.dementia')}>{yesNo(b.dementia, (dementia) => setBasic({ dementia }), 'af-dementia')}</Field>
          <Field label={t('af.basic.mentalDisorder')}>{yesNo(b.mentalDisorder, (mentalDisorder) => setBasic({ mentalDisorder }), 'af-mental')}</Field>
          <Field label={t('af.health.coma')}>{yesNo(h.coma, (coma) => setHealth({ coma }), 'af-coma')}</Field>
          <Field label={t('af.basic.riskEvents')}>
            <Row gutter={[8, 8]}>
              {(['falls', 'choking', 'suicide', 'selfHarm', 'wandering', 'other'] as const).map((k) => (
                <Col span={8} key={k}>
                  <div>{t(`af.risk.${k}`)}</div>
                  <InputNumber
                    size="large"
                    min={0}
                    max={99}
                    precision={0}
                    data-testid={`af-risk-${k}`}
                    value={b.riskEvents[k]}
                    onChange={(v) => setBasic({ riskEvents: { ...b.riskEvents, [k]: v ?? 0 } })}
                  />
                </Col>
              ))}
            </Row>
          </Field>
          <Field label={t('af.health.pressureInjury')}>
            <Select
              size="large"
              style={{ width: 200 }}
              value={h.pressureInjury}
              options={(['none', 'stage1', 'stage2', 'stage3', 'stage4', 'unstageable'] as const).map((v) => ({ value: v, label: t(`af.pi.${v}`) }))}
              onChange={(pressureInjury) => setHealth({ pressureInjury })}
            />
          </Field>
          <Field label={t('af.health.specialCare')}>
            <Choices
              testid="af-special"
              columns={3}
              value={h.specialCare}
              options={(['feeding_tube', 'catheter', 'tracheostomy', 'dialysis', 'stoma', 'oxygen', 'other'] as const).map((v) => ({
                value: v,
                label: t(`af.sc.${v}`),
              }))}
              onPick={(v) => setHealth({ specialCare: toggle(h.specialCare, v) })}
            />
          </Field>
          <Row gutter={16}>
            <Col span={12}>
              <Field label={t('af.health.pain')}>
                <Select
                  size="large"
                  style={{ width: '100%' }}
                  value={h.pain}
                  options={(['none', 'mild', 'moderate', 'severe'] as const).map((v) => ({ value: v, label: t(`af.pain.${v}`) }))}
                  onChange={(pain) => setHealth({ pain })}
                />
              </Field>
            </Col>
            <Col span={12}>
              <Field label={t('af.health.teeth')}>
                <Select
                  size="large"
                  style={{ width: '100%' }}
                  value={h.teeth}
                  options={(['normal', 'missing', 'dentures'] as const).map((v) => ({ value: v, label: t(`af.teeth.${v}`) }))}
                  onChange={(teeth) => setHealth({ teeth })}
                />
              </Field>
            </Col>
            <Col span={12}>
              <Field label={t('af.health.jointMobility')}>
                <Select
                  size="large"
                  style={{ width: '100%' }}
                  value={h.jointMobility}
                  options={[
                    { value: 'normal', label: t('af.health.normal') },
                    { value: 'limited', label: t('af.health.limited') },
                  ]}
                  onChange={(jointMobility) => setHealth({ jointMobility })}
                />
              </Field>
            </Col>
            <Col span={12}>
              <Field label={t('af.health.swallowing')}>
                <Select
                  size="large"
                  style={{ width: '100%' }}
                  value={h.swallowing}
                  options={[
                    { value: 'normal', label: t('af.health.normal') },
                    { value: 'difficult', label: t('af.health.difficult') },
                  ]}
                  onChange={(swallowing) => setHealth({ swallowing })}
                />
              </Field>
            </Col>
            <Col span={12}>
              <Field label={t('af.health.airway')}>
                <Select
                  size="large"
                  style={{ width: '100%' }}
                  value={h.airwayClearance}
                  options={[
                    { value: 'normal', label: t('af.health.normal') },
                    { value: 'impaired', label: t('af.health.impaired') },
                  ]}
                  onChange={(airwayClearance) => setHealth({ airwayClearance })}
                />
              </Field>
            </Col>
            <Col span={12}>
              <Field label={t('af.health.wounds')}>{yesNo(h.wounds, (wounds) => setHealth({ wounds }), 'af-wounds')}</Field>
            </Col>
            <Col span={12}>
              <Field label={t('af.health.height')}>
                <InputNumber size="large" min={80} max={230} precision={0} value={h.heightCm} onChange={(v) => setHealth({ heightCm: v ?? null })} />
              </Field>
            </Col>
            <Col span={12}>
              <Field label={t('af.health.weight')}>
                <InputNumber size="large" min={20} max={250} precision={1} value={h.weightKg} onChange={(v) => setHealth({ weightKg: v ?? null })} />
              </Field>
            </Col>
          </Row>
        </Col>
      </Row>
      <Field label={t('af.notes')}>
        <Input.TextArea
          rows={3}
          maxLength={2000}
          value={form.notes}
          onChange={(e) => update((s) => ({ ...s, notes: e.target.value }))}
          data-testid="af-notes"
        />
      </Field>
    </Card>
  );
}
