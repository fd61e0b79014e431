import { useEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { Alert, Button, Card, Checkbox, Empty, Input, Space, Switch, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useI18n } from '../../shared/i18n-core';
import { useAuth } from '../../shared/auth';
import { newClientId } from '../../shared/outbox';
import { registerServiceWorker } from '../assessment-form/register-sw';
import { useFindings, useOnline, useToday, useVisitItems, useVisitOutbox, visitOutbox } from './offline';
import { BIG, modeWord, sexWord, TagWord, VisitState } from './parts';
import { PhotoNotImage, preparePhoto } from './photo';
import type { TodayItem, VisitMode } from './types';
import {
  countingHints,
  emptyVisitForm,
  localInput,
  megabytes,
  minutesBetween,
  suggestedFollowups,
  toBody,
  toggleFinding,
  validateVisit,
  type Problem,
  type VisitForm,
} from './visit-form';

const { Text, Title } = Typography;

const section: CSSProperties = { marginBottom: 12 };
const timeInput: CSSProperties = {
  minHeight: 48,
  fontSize: 16,
  width: '100%',
  boxSizing: 'border-box',
  padding: '0 8px',
  border: '1px solid #d9d9d9',
  borderRadius: 6,
};
const timeRow: CSSProperties = { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 };

function Field({ label, children, testid }: { label: string; children: ReactNode; testid?: string }) {
  return (
    <Card size="small" style={section} data-testid={testid}>
      <Text strong style={{ display: 'block', marginBottom: 8, fontSize: 16 }}>
        {label}
      </Text>
      {children}
    </Card>
  );
}

/** mm:ss (or h:mm:ss) since `from` */
function elapsed(fromLocal: string, now: number): string {
  const s = Math.max(0, Math.floor((now - new Date(fromLocal).getTime()) / 1000));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * 记录探访 (/m/visits/:personId): one visit to one person, on the phone, with or without network.
 * The person's essentials come from today's list kept on the phone; the checklist too. Saved into
 * the outbox with a new clientId and sent when the network is there; the server's answer (counted,
 * or why not) is shown here and on the list.
 */
export function RecordVisitPage() {
  const { t, pick } = useI18n();
  const { user } = useAuth();
  const online = useOnline();
  useVisitOutbox(user?.id);
  useEffect(registerServiceWorker, []);
  const personId = Number(useParams().personId);
  const { kept, loading } = useToday(user?.id, online);
  const checklist = useFindings(online);
  const items = useVisitItems(user?.id);
  const [form, setForm] = useState<VisitForm>(emptyVisitForm);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [saved, setSaved] = useState<string | null>(null);
  const [photoError, setPhotoError] = useState<'vp.photo.failed' | 'vp.photo.notImage' | 'vp.photo.keepFormat' | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const file = useRef<File | null>(null);
  const item: TodayItem | undefined = kept?.reply.items.find((i) => i.personId === personId);
  const running = !!form.start && !form.end && (form.mode === 'phone' || form.mode === 'video');

  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [running]);

  if (!user) return null;
  const set = (patch: Partial<VisitForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setProblems([]);
  };
  const back = (
    <Link to="/m/visits">
      <Button style={BIG} data-testid="vp-back">
        ← {t('vp.back')}
      </Button>
    </Link>
  );

  if (!item)
    return (
      <div data-testid="vp-record" style={{ maxWidth: 640, margin: '0 auto' }}>
        {back}
        {!loading && <Empty style={{ marginTop: 24 }} description={t('vp.person.missing')} />}
      </div>
    );

  const savedItem = saved ? items?.find((x) => x.clientId === saved) : undefined;
  if (saved)
    return (
      <div data-testid="vp-record" style={{ maxWidth: 640, margin: '0 auto' }}>
        <Title level={4}>{item.name}</Title>
        <Card title={t('vp.result.title')} data-testid="vp-result" style={section}>
          {savedItem && <VisitState item={savedItem} />}
        </Card>
        <Space wrap>
          {back}
          <Button
            style={BIG}
            onClick={() => {
              setSaved(null);
              setForm(emptyVisitForm());
              file.current = null;
            }}
          >
            {t('vp.result.again')}
          </Button>
        </Space>
      </div>
    );

  const defs = checklist?.findings ?? [];
  const photoMax = checklist?.photoMaxBytes ?? null;
  const suggestions = suggestedFollowups(form.findings, defs);
  const hints = countingHints(form, item);
  const minutes = minutesBetween(form.start, form.end);
  const errorOf = (field: Problem['field']) => problems.filter((p) => p.field === field);
  const showErrors = (field: Problem['field']) =>
    errorOf(field).map((p) => (
      <Text type="danger" key={p.key} style={{ display: 'block', marginTop: 4 }} data-testid={`vp-error-${field}`}>
        {t(p.key, p.vars)}
      </Text>
    ));
  const minList = item.modes.map((m) => t('vp.person.minItem', { mode: modeWord(t, m), min: item.minMinutes[m] ?? 0 })).join('、');

  const choosePhoto = async (f: File | null, keepLocation: boolean) => {
    file.current = f;
    setPhotoError(null);
    if (!f) return set({ photo: null });
    try {
      const p = await preparePhoto(f, keepLocation);
      set({ photo: { ...p, keepLocation, name: f.name } });
    } catch (e) {
      setPhotoError(e instanceof PhotoNotImage ? (e.reason === 'format' ? 'vp.photo.keepFormat' : 'vp.photo.notImage') : 'vp.photo.failed');
      set({ photo: null });
    }
  };

  const submit = async () => {
    const found = validateVisit(form, { photoMaxBytes: photoMax, modes: item.modes });
    setProblems(found);
    if (found.length > 0) return;
    const clientId = newClientId();
    const body = toBody(form, clientId, item.personId, defs);
    await visitOutbox.add(user.id, clientId, body, {
      personId: item.personId,
      name: item.name,
      mode: form.mode!,
      startedAt: body.startedAt,
      endedAt: body.endedAt,
      dueId: item.dueId,
    });
    setSaved(clientId);
    window.scrollTo?.(0, 0);
    if (navigator.onLine) void visitOutbox.send(user.id, clientId);
  };

  return (
    <div data-testid="vp-record" style={{ maxWidth: 640, margin: '0 auto' }}>
      {back}
      <Card size="small" style={{ ...section, marginTop: 12 }} data-testid="vp-person">
        <Space direction="vertical" size={4} style={{ width: '100%', fontSize: 16 }}>
          <Space wrap>
            <b style={{ fontSize: 20 }}>{item.name}</b>
            <span>{t('vp.card.age', { age: item.age })}</span>
            <span>{sexWord(t, item.sex)}</span>
          </Space>
          <Text type="secondary">{item.regionName}</Text>
          {item.phoneMasked && <span>{t('vp.person.phone', { phone: item.phoneMasked })}</span>}
          {item.tags.length > 0 && (
            <Space wrap size={4}>
              {item.tags.map((tag) => (
                <TagWord key={tag} tag={tag} />
              ))}
            </Space>
          )}
          <span>
            {pick(item.planLabel.zh, item.planLabel.en)} · {t(`vp.freq.${item.frequency}`)} ·{' '}
            {t('vp.card.window', { from: item.windowStart, to: item.windowEnd })}
          </span>
          <Text type="secondary">{t('vp.person.min', { list: minList })}</Text>
        </Space>
      </Card>

      <Field label={t('vp.field.mode')} testid="vp-modes">
        {/* as many columns of at least 6.5em as fit, wrapping: three modes in English ('Home visit')
            made one row 459 px wide on a 375 px phone */}
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 6.5em), 1fr))', gap: 8, fontSize: 18 }}>
          {item.modes.map((m: VisitMode) => (
            <Button
              key={m}
              type={form.mode === m ? 'primary' : 'default'}
              style={{ minHeight: 64, height: 'auto', minWidth: 0, whiteSpace: 'normal', fontSize: 18 }}
              data-testid={`vp-mode-${m}`}
              aria-pressed={form.mode === m}
              onClick={() => set({ mode: m, start: form.start || (m === 'home' ? localInput(new Date()) : '') })}
            >
              {modeWord(t, m)}
            </Button>
          ))}
        </div>
        {showErrors('mode')}
      </Field>

      <Field label={`${t('vp.field.start')} / ${t('vp.field.end')}`} testid="vp-times">
        <Space direction="vertical" style={{ width: '100%' }}>
          <div style={timeRow}>
            <label htmlFor="vp-start" style={{ fontSize: 16 }}>
              {t('vp.field.start')}
            </label>
            <Button style={BIG} onClick={() => set({ start: localInput(new Date()), end: '' })} data-testid="vp-start-now">
              {form.mode === 'phone' || form.mode === 'video' ? t('vp.time.callStart') : t('vp.time.startNow')}
            </Button>
          </div>
          <input
            id="vp-start"
            type="datetime-local"
            style={timeInput}
            value={form.start}
            onChange={(e) => set({ start: e.target.value })}
            data-testid="vp-start"
          />
          {showErrors('start')}
          <div style={timeRow}>
            <label htmlFor="vp-end" style={{ fontSize: 16 }}>
              {t('vp.field.end')}
            </label>
            <Button style={BIG} onClick={() => set({ end: localInput(new Date()) })} data-testid="vp-end-now">
              {form.mode === 'phone' || form.mode === 'video' ? t('vp.time.callEnd') : t('vp.time.endNow')}
            </Button>
          </div>
          <input id="vp-end" type="datetime-local" style={timeInput} value={form.end} onChange={(e) => set({ end: e.target.value })} data-testid="vp-end" />
          {showErrors('end')}
          {running && (
            <Text style={{ fontSize: 24, fontVariantNumeric: 'tabular-nums' }} data-testid="vp-timer">
              {t('vp.time.running', { time: elapsed(form.start, now) })}
            </Text>
          )}
          {minutes !== null && minutes >= 0 && <Text data-testid="vp-duration">{t('vp.time.duration', { min: minutes })}</Text>}
          {hints.map((h) => (
            <Alert key={h.key} type="warning" showIcon message={t(h.key, h.vars)} data-testid="vp-hint" />
          ))}
        </Space>
      </Field>

      <Field label={t('vp.field.findings')} testid="vp-findings">
        {!checklist ? (
          <Text type="secondary">{t('vp.findings.none')}</Text>
        ) : (
          checklist.groups.map((g) => (
            <div key={g.key} style={{ marginBottom: 8 }}>
              <Text type="secondary">{pick(g.label.zh, g.label.en)}</Text>
              <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, marginTop: 4 }}>
                {defs
                  .filter((d) => d.group === g.key)
                  .map((d) => {
                    const on = form.findings.includes(d.code);
                    return (
                      <Button
                        key={d.code}
                        type={on ? 'primary' : 'default'}
                        ghost={on && !d.suggests}
                        danger={on && !!d.suggests}
                        aria-pressed={on}
                        style={{ minHeight: 44, whiteSpace: 'normal', height: 'auto', textAlign: 'left' }}
                        data-testid={`vp-finding-${d.code}`}
                        onClick={() => set({ findings: toggleFinding(form.findings, d.code, defs) })}
                      >
                        {pick(d.zh, d.en)}
                      </Button>
                    );
                  })}
              </div>
            </div>
          ))
        )}
      </Field>

      {suggestions.length > 0 && (
        <Field label={t('vp.field.followups')} testid="vp-followups">
          <Space direction="vertical" style={{ width: '100%' }}>
            {suggestions.map((s) => {
              const kind = checklist?.followupKinds.find((k) => k.key === s.kind);
              const finding = defs.find((d) => d.code === s.finding);
              return (
                <Checkbox
                  key={s.id}
                  style={{ minHeight: 44, alignItems: 'center', fontSize: 16 }}
                  checked={form.followups.includes(s.id)}
                  data-testid={`vp-followup-${s.id}`}
                  onChange={(e) => set({ followups: e.target.checked ? [...form.followups, s.id] : form.followups.filter((x) => x !== s.id) })}
                >
                  {kind ? pick(kind.label.zh, kind.label.en) : s.kind}{' '}
                  <Text type="secondary">{t('vp.followups.from', { finding: finding ? pick(finding.zh, finding.en) : s.finding })}</Text>
                </Checkbox>
              );
            })}
          </Space>
        </Field>
      )}

      <Field label={t('vp.field.notes')}>
        <Input.TextArea
          rows={3}
          style={{ fontSize: 16 }}
          value={form.notes}
          placeholder={t('vp.notes.placeholder')}
          onChange={(e) => set({ notes: e.target.value })}
          data-testid="vp-notes"
        />
        {showErrors('notes')}
      </Field>

      <Field label={t('vp.field.photo')} testid="vp-photo">
        <Space direction="vertical" style={{ width: '100%' }}>
          <label
            style={{ ...BIG, display: 'flex', alignItems: 'center', justifyContent: 'center', border: '1px dashed #999', borderRadius: 6, cursor: 'pointer' }}
          >
            {t('vp.photo.take')}
            <input
              type="file"
              accept="image/*"
              capture="environment"
              style={{ position: 'absolute', width: 1, height: 1, opacity: 0 }}
              data-testid="vp-photo-input"
              onChange={(e) => void choosePhoto(e.target.files?.[0] ?? null, form.photo?.keepLocation ?? false)}
            />
          </label>
          <label style={{ display: 'flex', alignItems: 'center', gap: 8, minHeight: 44 }}>
            <Switch
              checked={form.photo?.keepLocation ?? false}
              disabled={!form.photo}
              data-testid="vp-photo-keep"
              onChange={(keep) => void choosePhoto(file.current, keep)}
            />
            {t('vp.photo.keepLocation')}
          </label>
          {photoMax !== null && <Text type="secondary">{t('vp.photo.limit', { max: megabytes(photoMax) })}</Text>}
          {form.photo && (
            <Space wrap>
              <Text data-testid="vp-photo-size">{t('vp.photo.size', { size: Math.ceil(form.photo.bytes / 1000) })}</Text>
              <Button style={BIG} onClick={() => void choosePhoto(null, false)}>
                {t('vp.photo.remove')}
              </Button>
            </Space>
          )}
          {photoError && (
            <Text type="danger" data-testid="vp-photo-error">
              {t(photoError)}
            </Text>
          )}
          {showErrors('photo')}
        </Space>
      </Field>

      <Field label={t('vp.field.confirm')} testid="vp-confirm">
        {/* each option as wide as its words, never broken inside them: three on a line in Chinese at 390 px, wrapping between options in English */}
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          {(['none', 'person', 'proxy'] as const).map((k) => (
            <Button
              key={k}
              type={form.confirmation === k ? 'primary' : 'default'}
              aria-pressed={form.confirmation === k}
              style={{ minHeight: 48, whiteSpace: 'nowrap', height: 'auto', flex: '1 1 auto' }}
              data-testid={`vp-confirm-${k}`}
              onClick={() => set({ confirmation: k })}
            >
              {t(`vp.confirm.${k}`)}
            </Button>
          ))}
        </div>
        {form.confirmation === 'proxy' && (
          <Input
            style={{ ...BIG, marginTop: 8 }}
            placeholder={t('vp.confirm.proxyName')}
            aria-label={t('vp.confirm.proxyName')}
            value={form.proxyName}
            onChange={(e) => set({ proxyName: e.target.value })}
            data-testid="vp-proxy-name"
          />
        )}
        {showErrors('proxy')}
      </Field>

      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={section}
          data-testid="vp-errors"
          message={t('vp.err.fix')}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {problems.map((p) => (
                <li key={p.key}>{t(p.key, p.vars)}</li>
              ))}
            </ul>
          }
        />
      )}
      <Button type="primary" block style={{ minHeight: 56, fontSize: 18 }} onClick={() => void submit()} data-testid="vp-submit">
        {online ? t('vp.submit') : t('vp.submit.offline')}
      </Button>
    </div>
  );
}
