import { Alert, App, Button, Card, Descriptions, Input, List, Space, Tag, Timeline, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useAuth } from '../../shared/auth';
import { dash, shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { revealContact, useAction, useAlarm, useNote, usePersonSummary } from './api';
import { EscalationTag, PriorityTag, WaitText } from './parts';
import { ACTIONS, label } from './queue';
import { ResolveDialog } from './resolve';
import type { AlarmAction, AlarmItem, ContactView } from './types';

/** One emergency contact: masked until the operator presses 拨打 (an audited reveal), then a tel: link. */
function ContactLine({ contact }: { contact: ContactView }) {
  const { t } = useI18n();
  const [phone, setPhone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dial = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await revealContact(contact.id);
      setPhone(r.phone);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <List.Item style={{ flexWrap: 'wrap', gap: 8 }}>
      <Space wrap size={6}>
        <Tag>{contact.rank}</Tag>
        <Typography.Text strong>{contact.name}</Typography.Text>
        <Typography.Text type="secondary">{label(t, 'relation', contact.relation)}</Typography.Text>
        {phone ? (
          <a href={`tel:${phone}`} data-testid={`al-contact-phone-${contact.id}`}>
            {phone}
          </a>
        ) : (
          <Typography.Text>{contact.phoneMasked}</Typography.Text>
        )}
      </Space>
      {phone ? null : (
        <Button size="small" loading={busy} onClick={() => void dial()} data-testid={`al-dial-${contact.id}`}>
          {t('al.dial')}
        </Button>
      )}
      {error ? <Alert type="error" showIcon style={{ width: '100%' }} message={t('al.dialFailed', { message: error })} /> : null}
    </List.Item>
  );
}

function PersonCard({ personId }: { personId: number }) {
  const { t } = useI18n();
  const summary = usePersonSummary(personId);
  if (summary.isError) return <Alert type="error" showIcon message={t('al.summaryFailed', { message: (summary.error as Error).message })} />;
  const s = summary.data;
  if (!s) return <Card size="small" loading title={t('al.person')} />;
  const p = s.person;
  const contacts = [...s.contacts].sort((a, b) => a.rank - b.rank);
  return (
    <>
      <Card size="small" title={t('al.person')} data-testid="al-person">
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('al.name')}>
            <Space wrap size={6}>
              <Typography.Text strong>{p.name}</Typography.Text>
              <span>{t('al.age', { n: p.age })}</span>
              <span>{label(t, 'sex', p.sex)}</span>
              <Typography.Text type="secondary">{p.regionName}</Typography.Text>
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('al.address')}>
            <span style={{ overflowWrap: 'anywhere' }} data-testid="al-address">
              {dash(p.address)}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('al.phone')}>{dash(p.phoneMasked)}</Descriptions.Item>
          <Descriptions.Item label={t('al.idNumber')}>{p.idMasked}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('al.contacts')}>
        {contacts.length ? (
          <List size="small" dataSource={contacts} renderItem={(c) => <ContactLine key={c.id} contact={c} />} />
        ) : (
          <Typography.Text type="secondary">{t('al.noContacts')}</Typography.Text>
        )}
      </Card>
      <Card size="small" title={t('al.devices')}>
        {s.devices.length ? (
          <List
            size="small"
            dataSource={s.devices}
            renderItem={(d) => (
              <List.Item>
                <Space wrap size={6}>
                  <span>{label(t, 'device', d.kind)}</span>
                  <Typography.Text type="secondary">{d.serial}</Typography.Text>
                  <Tag color={d.link === 'online' ? 'green' : 'red'}>{label(t, 'link', d.link)}</Tag>
                  {d.battery !== null ? (
                    <Typography.Text type={d.battery <= 20 ? 'danger' : undefined}>{t('al.battery', { n: d.battery })}</Typography.Text>
                  ) : null}
                  {d.lastSeenAt ? <Typography.Text type="secondary">{t('al.lastSeen', { time: shanghaiTime(d.lastSeenAt) })}</Typography.Text> : null}
                </Space>
              </List.Item>
            )}
          />
        ) : (
          <Typography.Text type="secondary">{t('al.noDevices')}</Typography.Text>
        )}
      </Card>
      <Card size="small" title={t('al.nearest')}>
        {s.nearestProviders.length ? (
          <List
            size="small"
            dataSource={s.nearestProviders}
            renderItem={(n) => (
              <List.Item>
                <Space wrap size={6}>
                  <Typography.Text strong>{n.name}</Typography.Text>
                  <Tag color={n.reach === 'serving' ? 'blue' : undefined}>{label(t, 'reach', n.reach)}</Tag>
                  <Typography.Text type="secondary">{n.regionName}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        ) : (
          <Typography.Text type="secondary">{t('al.none')}</Typography.Text>
        )}
      </Card>
      <Card size="small" title={t('al.recentAlarms')}>
        {s.recentAlarms.length ? (
          <List
            size="small"
            dataSource={s.recentAlarms}
            renderItem={(a) => (
              <List.Item>
                <Space wrap size={6}>
                  <span>{shanghaiTime(a.raisedAt)}</span>
                  <span>{label(t, 'kind', a.kind)}</span>
                  <Tag>{label(t, 'state', a.state)}</Tag>
                  {a.outcome ? <span>{label(t, 'outcome', a.outcome)}</span> : null}
                </Space>
              </List.Item>
            )}
          />
        ) : (
          <Typography.Text type="secondary">{t('al.none')}</Typography.Text>
        )}
      </Card>
      <Card size="small" title={t('al.recentVisits')}>
        {s.recentVisits.length ? (
          <List
            size="small"
            dataSource={s.recentVisits}
            renderItem={(v) => (
              <List.Item>
                <Space wrap size={6}>
                  <span>{shanghaiTime(v.startedAt)}</span>
                  <span>{label(t, 'visitKind', v.kind)}</span>
                  <span>{label(t, 'visitMode', v.mode)}</span>
                  <Typography.Text type="secondary">{label(t, 'role', v.performerRole)}</Typography.Text>
                  <span>{t('al.minutes', { n: v.durationMinutes })}</span>
                </Space>
              </List.Item>
            )}
          />
        ) : (
          <Typography.Text type="secondary">{t('al.none')}</Typography.Text>
        )}
      </Card>
    </>
  );
}

/**
 * The selected alarm (`al-detail`): what and since when, acknowledge, the actions with an optional
 * note, resolve; the person's summary and contacts; the steps with their times.
 */
export function AlarmDetailPanel(props: {
  alarm: AlarmItem;
  now: number;
  onAcknowledge: () => void;
  acknowledging: boolean;
  ackError: string | null;
  onModalChange: (open: boolean) => void;
}) {
  const { alarm, now } = props;
  const { t } = useI18n();
  const { message } = App.useApp();
  const { user, can } = useAuth();
  const handle = can('alarms.handle');
  const detail = useAlarm(alarm.id);
  const action = useAction();
  const saveNote = useNote();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [resolving, setResolving] = useState(false);
  // the list's row is the freshest (live); the detail adds the steps
  const a = { ...(detail.data ?? {}), ...alarm };
  const steps = detail.data?.steps ?? [];
  const held = a.state === 'acknowledged';
  // an acknowledged alarm is worked by its holder or a shift supervisor (the server refuses anyone
  // else): after a take-over or a reassignment the former holder's screen says who has it now
  const holder = held ? (a.acknowledgedBy ?? null) : null;
  const heldByOther = holder !== null && holder.id !== user?.id;
  const mayWork = held && (!heldByOther || can('alarms.supervise'));

  const act = (act: AlarmAction) => {
    setError(null);
    action.mutate(
      { id: a.id, action: act, note: note.trim() || undefined },
      {
        onSuccess: () => {
          setNote('');
          void message.success(t('al.actionDone', { action: label(t, 'action', act) }));
        },
        onError: (e) => setError(t('al.actionFailed', { message: (e as Error).message })),
      },
    );
  };
  const keepNote = () => {
    if (!note.trim()) return;
    setError(null);
    saveNote.mutate(
      { id: a.id, note: note.trim() },
      {
        onSuccess: () => {
          setNote('');
          void message.success(t('al.noteSaved'));
        },
        onError: (e) => setError(t('al.actionFailed', { message: (e as Error).message })),
      },
    );
  };
  const openResolve = (open: boolean) => {
    setResolving(open);
    props.onModalChange(open);
  };
  // the panel goes while its dialog is open (the resolved alarm leaves the queue before the
  // dialog's own close): the console must not go on thinking a dialog is open
  const dialogOpen = useRef(false);
  dialogOpen.current = resolving;
  const onModalChange = useRef(props.onModalChange);
  onModalChange.current = props.onModalChange;
  useEffect(
    () => () => {
      if (dialogOpen.current) onModalChange.current(false);
    },
    [],
  );

  return (
    <div data-testid="al-detail" style={{ display: 'flex', flexDirection: 'column', gap: 12, minWidth: 0 }}>
      <Card size="small">
        <Space direction="vertical" size={6} style={{ width: '100%' }}>
          <Space wrap size={6}>
            <PriorityTag priority={a.priority} />
            <Typography.Title level={4} style={{ margin: 0 }}>
              {label(t, 'kind', a.kind)}
            </Typography.Title>
            <EscalationTag alarm={a} />
            <Tag color={a.state === 'raised' ? 'red' : 'blue'}>{label(t, 'state', a.state)}</Tag>
            <Typography.Text type="secondary">#{a.id}</Typography.Text>
          </Space>
          <Space wrap size={12}>
            <Typography.Text strong>{a.personName}</Typography.Text>
            <span>
              {t('al.raisedAt')} {shanghaiTime(a.raisedAt)}
            </span>
            <WaitText alarm={a} now={now} meId={user?.id} />
            {a.idMasked ? <Typography.Text type="secondary">{a.idMasked}</Typography.Text> : null}
            {a.deviceKind ? (
              <span>
                {t('al.device')}: {label(t, 'device', a.deviceKind)}
              </span>
            ) : null}
          </Space>
          {props.ackError ? <Alert type="error" showIcon message={t('al.ackFailed', { message: props.ackError })} /> : null}
          {handle && a.state === 'raised' ? (
            <Button
              type="primary"
              danger={a.priority <= 1}
              size="large"
              block
              loading={props.acknowledging}
              onClick={props.onAcknowledge}
              data-testid="al-detail-ack"
            >
              {t('al.ackShort')}
            </Button>
          ) : null}
          {heldByOther ? (
            <Alert
              type={mayWork ? 'info' : 'warning'}
              showIcon
              data-testid="al-detail-held-by"
              message={t('al.heldByOther', { name: holder?.name ?? '' })}
              description={mayWork ? undefined : t('al.heldByOtherHint')}
            />
          ) : null}
          {handle && held ? (
            <>
              <Typography.Text strong>{t('al.actions')}</Typography.Text>
              <Input.TextArea
                value={note}
                onChange={(e) => setNote(e.target.value)}
                placeholder={t('al.notePlaceholder')}
                autoSize={{ minRows: 2, maxRows: 5 }}
                maxLength={2000}
                disabled={!mayWork}
                data-testid="al-note"
              />
              <Space wrap size={6}>
                {ACTIONS.map((x) => (
                  <Button
                    key={x}
                    disabled={!mayWork}
                    onClick={() => act(x)}
                    loading={action.isPending && action.variables?.action === x}
                    data-testid={`al-action-${x}`}
                  >
                    {label(t, 'action', x)}
                  </Button>
                ))}
                <Button onClick={keepNote} disabled={!mayWork || !note.trim()} loading={saveNote.isPending} data-testid="al-note-save">
                  {t('al.saveNote')}
                </Button>
              </Space>
              {error ? <Alert type="error" showIcon closable onClose={() => setError(null)} message={error} /> : null}
              <Button type="primary" disabled={!mayWork} onClick={() => openResolve(true)} data-testid="al-resolve">
                {t(a.kind === 'service_request' ? 'al.resolveService' : 'al.resolve')}
              </Button>
            </>
          ) : null}
        </Space>
      </Card>
      <Card size="small" title={t('al.steps')}>
        {detail.isError ? <Alert type="error" showIcon message={t('al.alarmFailed', { message: (detail.error as Error).message })} /> : null}
        <Timeline
          items={steps.map((s) => ({
            key: s.id,
            color: s.kind === 'escalated' ? 'red' : s.kind === 'resolved' ? 'green' : 'blue',
            children: (
              <div style={{ overflowWrap: 'anywhere' }}>
                <Space wrap size={6}>
                  <Typography.Text type="secondary">{shanghaiTime(s.at)}</Typography.Text>
                  <Typography.Text strong>
                    {s.kind === 'action' && s.action
                      ? label(t, 'action', s.action)
                      : s.kind === 'assigned' && s.action
                        ? t('al.step.assignedTo', { name: s.action })
                        : s.kind === 'escalated'
                          ? t(s.action === 'supervisor' ? 'al.esc2Title' : 'al.esc1Title')
                          : label(t, 'step', s.kind)}
                  </Typography.Text>
                  <Typography.Text type="secondary">{s.by ? s.by.name : t('al.platform')}</Typography.Text>
                </Space>
                {s.note ? <div>{s.note}</div> : null}
              </div>
            ),
          }))}
        />
      </Card>
      <PersonCard personId={a.personId} />
      {resolving ? <ResolveDialog alarm={a} onClose={() => openResolve(false)} /> : null}
    </div>
  );
}
