import { Alert, Badge, Button, Card, Col, Drawer, Empty, Grid, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n-core';
import { useAcknowledge, useActiveAlarms } from './api';
import { AlarmDetailPanel } from './detail';
import { label, orderQueue } from './queue';
import { EscalationTag, PriorityTag, WaitText, useAlarmsLive, useNow } from './parts';
import type { AlarmItem } from './types';

/** A short tone (where the browser allows sound without a gesture) and a flashing tab title. */
function useNewAlarmSignal() {
  const { t } = useI18n();
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  const original = useRef<string | null>(null);
  const stop = useCallback(() => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
    if (original.current !== null) document.title = original.current;
    original.current = null;
  }, []);
  useEffect(() => stop, [stop]);
  return useCallback(
    (a: AlarmItem) => {
      beep();
      stop();
      original.current = document.title;
      const text = t('al.titleFlash', { kind: label(t, 'kind', a.kind), name: a.personName });
      let n = 0;
      timer.current = setInterval(() => {
        n++;
        document.title = n % 2 ? text : (original.current ?? '');
        if (n >= 12) stop();
      }, 800);
    },
    [t, stop],
  );
}

function beep() {
  try {
    const AC = (window as unknown as { AudioContext?: typeof AudioContext }).AudioContext;
    if (!AC) return;
    const audio = new AC();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.value = 0.08;
    osc.connect(gain);
    gain.connect(audio.destination);
    osc.onended = () => void audio.close();
    osc.start();
    osc.stop(audio.currentTime + 0.3);
  } catch {
    // no sound here (no audio device, or the browser wants a gesture first): the title flashes
  }
}

const ROW_STYLE = `
.al-row { padding: 8px 10px; border-radius: 6px; border: 1px solid #f0f0f0; margin-bottom: 6px; cursor: pointer; background: #fff; }
.al-row-selected { border-color: #1677ff; box-shadow: 0 0 0 2px rgba(22,119,255,.25); }
.al-row-escalated { background: #fff1f0; border-color: #ff7875; }
.al-row-escalated.al-row-selected { border-color: #cf1322; }
.al-row-held { background: #fafafa; }
@keyframes al-pulse { 0%,100% { opacity: 1 } 50% { opacity: .45 } }
.al-row-escalated .al-escalation { animation: al-pulse 1.2s ease-in-out infinite; font-weight: 600; }
.al-queue:focus:not(:focus-visible) { outline: none; }
.al-row-line { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; min-width: 0; }
.al-row-name { font-weight: 600; overflow-wrap: anywhere; }
.al-section { font-size: 12px; color: rgba(0,0,0,.55); margin: 2px 0 4px; font-weight: 600; }
@media (prefers-reduced-motion: reduce) { .al-row-escalated .al-escalation { animation: none; } }
`;

/**
 * The operator's console (/alarms): the live queue of active alarms (the operator's own alarms in
 * hand pinned in a short section above it; then waiting ones first, by priority then age, each
 * with its running timer and escalation), one key to acknowledge (Enter
 * or A acknowledges the selected alarm, the top waiting one unless the operator chose another
 * with ↑/↓ or a click), and the selected alarm's detail: the person's summary, contacts to call,
 * the steps, the actions and the resolution. A side panel at a desk, a drawer on a tablet, full
 * screen on a phone.
 */
export function ConsolePage() {
  const { t } = useI18n();
  const { user, can } = useAuth();
  const screens = Grid.useBreakpoint();
  const side = screens.xl === true;
  const phone = screens.md === false;
  const now = useNow();
  const { live, poll } = useAlarmsLive();
  const alarms = useActiveAlarms(poll);
  // the operator's own alarms in hand pinned above the queue (below 40 waiting ones they would be
  // off the screen), then the queue in its order
  const meId = user?.id;
  const { queue, mineCount } = useMemo(() => {
    const ordered = orderQueue(alarms.data ?? []);
    const isMine = (a: AlarmItem) => a.state === 'acknowledged' && meId !== undefined && a.acknowledgedBy?.id === meId;
    const mine = ordered.filter(isMine);
    return { queue: [...mine, ...ordered.filter((a) => !isMine(a))], mineCount: mine.length };
  }, [alarms.data, meId]);
  const handle = can('alarms.handle');

  // selection: the top waiting alarm, unless the operator chose one (kept while it is active)
  const [chosen, setChosen] = useState<number | null>(null);
  const topRaised = queue.find((a) => a.state === 'raised')?.id ?? null;
  const selectedId = chosen !== null && queue.some((a) => a.id === chosen) ? chosen : (topRaised ?? queue[0]?.id ?? null);
  const selected = queue.find((a) => a.id === selectedId) ?? null;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [modalOpen, setModalOpen] = useState(false);
  const [ackError, setAckError] = useState<{ id: number; message: string } | null>(null);

  // a new waiting alarm: a tone and a flashing title (never on the first load)
  const seen = useRef<Set<number> | null>(null);
  const signal = useNewAlarmSignal();
  useEffect(() => {
    if (!alarms.data) return;
    const ids = new Set(alarms.data.map((a) => a.id));
    if (seen.current) {
      const fresh = orderQueue(alarms.data.filter((a) => a.state === 'raised' && !seen.current!.has(a.id)));
      if (fresh[0]) signal(fresh[0]);
    }
    seen.current = ids;
  }, [alarms.data, signal]);

  const ack = useAcknowledge();
  const acknowledge = useCallback(
    (id: number) => {
      if (!handle || ack.isPending) return;
      setAckError(null);
      setChosen(id);
      ack.mutate(id, {
        onSuccess: () => setDrawerOpen(true),
        onError: (e) => setAckError({ id, message: (e as Error).message }),
      });
    },
    [ack, handle],
  );

  // the queue takes the focus back when a dialog closes (resolved or cancelled): antd would give it
  // to the button that opened the dialog, or to nothing when that button is gone with the resolved
  // alarm, and Enter on a button is the button's — the operator's next Enter would do nothing
  const queueRef = useRef<HTMLDivElement | null>(null);
  const onModalChange = useCallback((open: boolean) => {
    setModalOpen(open);
    if (!open) setTimeout(() => queueRef.current?.focus({ preventScroll: true }), 0);
  }, []);

  const rowRefs = useRef(new Map<number, HTMLDivElement>());
  const select = useCallback((id: number) => {
    setChosen(id);
    rowRefs.current.get(id)?.scrollIntoView?.({ block: 'nearest' });
  }, []);

  // the keys: ↑/↓ select, Enter or A acknowledge (not while typing, nor in a dialog)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || modalOpen) return;
      const el = e.target instanceof HTMLElement ? e.target : null;
      if (el?.closest('input, textarea, select, [contenteditable="true"], .ant-select, .ant-picker, .ant-modal-root')) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (!queue.length) return;
        e.preventDefault();
        const i = Math.max(
          0,
          queue.findIndex((a) => a.id === selectedId),
        );
        const next = e.key === 'ArrowDown' ? Math.min(queue.length - 1, i + 1) : Math.max(0, i - 1);
        select(queue[next]!.id);
      } else if (e.key === 'Enter' || e.key === 'a' || e.key === 'A') {
        // Enter on a focused button is that button's
        if (e.key === 'Enter' && el?.closest('button, a[href], [role="button"]')) return;
        if (!selected) return;
        e.preventDefault();
        if (selected.state === 'raised') acknowledge(selected.id);
        else if (topRaised !== null) select(topRaised); // the next key acknowledges it
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [queue, selected, selectedId, topRaised, acknowledge, select, modalOpen]);

  const waiting = queue.filter((a) => a.state === 'raised').length;

  const list = (
    <Card
      size="small"
      title={
        <Space wrap>
          <span>{t('al.queue')}</span>
          <Badge count={waiting} overflowCount={999} />
          {live ? <Tag color="green">{t('al.live')}</Tag> : null}
        </Space>
      }
      extra={phone ? null : <Typography.Text type="secondary">{t('al.keysHint')}</Typography.Text>}
    >
      {alarms.isError ? <Alert type="error" showIcon message={t('al.loadFailed', { message: (alarms.error as Error).message })} /> : null}
      {!live && alarms.isSuccess ? <Alert type="warning" showIcon message={t('al.liveOff')} style={{ marginBottom: 8 }} /> : null}
      <div
        ref={queueRef}
        tabIndex={0}
        className="al-queue"
        data-testid="al-queue"
        role="listbox"
        aria-label={t('al.queue')}
        aria-activedescendant={selectedId ? `al-row-${selectedId}` : undefined}
      >
        {alarms.isSuccess && queue.length === 0 ? <Empty description={t('al.queueEmpty')} /> : null}
        {queue.map((a, i) => {
          const heading =
            mineCount > 0 && i === 0 ? (
              <div key="al-mine-heading" className="al-section" role="presentation" data-testid="al-mine-heading">
                {t('al.mineSection', { n: mineCount })}
              </div>
            ) : mineCount > 0 && i === mineCount ? (
              <div key="al-rest-heading" className="al-section" role="presentation" data-testid="al-rest-heading">
                {t('al.restSection')}
              </div>
            ) : null;
          const sel = a.id === selectedId;
          const cls = [
            'al-row',
            sel ? 'al-row-selected' : '',
            a.state === 'raised' && a.escalation > 0 ? 'al-row-escalated' : '',
            a.state !== 'raised' ? 'al-row-held' : '',
          ]
            .filter(Boolean)
            .join(' ');
          return [
            heading,
            <div
              key={a.id}
              id={`al-row-${a.id}`}
              data-testid={`al-row-${a.id}`}
              role="option"
              aria-selected={sel}
              className={cls}
              ref={(el) => {
                if (el) rowRefs.current.set(a.id, el);
                else rowRefs.current.delete(a.id);
              }}
              onClick={() => {
                select(a.id);
                if (!side) setDrawerOpen(true);
              }}
            >
              <div className="al-row-line">
                <PriorityTag priority={a.priority} />
                <Typography.Text strong>{label(t, 'kind', a.kind)}</Typography.Text>
                <EscalationTag alarm={a} />
                <span className="al-row-name">{a.personName}</span>
                {a.regionName ? <Typography.Text type="secondary">{a.regionName}</Typography.Text> : null}
              </div>
              <div className="al-row-line" style={{ justifyContent: 'space-between', marginTop: 4 }}>
                <Space size={8} wrap>
                  <WaitText alarm={a} now={now} meId={user?.id} />
                  {a.eventCount > 1 ? <Typography.Text type="secondary">{t('al.events', { n: a.eventCount })}</Typography.Text> : null}
                </Space>
                <Space size={4}>
                  {a.state === 'raised' && handle ? (
                    <Button
                      type="primary"
                      danger={a.priority <= 1}
                      size="small"
                      data-testid={`al-ack-${a.id}`}
                      loading={ack.isPending && ack.variables === a.id}
                      onClick={(e) => {
                        e.stopPropagation();
                        acknowledge(a.id);
                      }}
                    >
                      {sel && !phone ? t('al.ackShort') : t('al.ack')}
                    </Button>
                  ) : null}
                  {!side ? (
                    <Button
                      size="small"
                      onClick={(e) => {
                        e.stopPropagation();
                        select(a.id);
                        setDrawerOpen(true);
                      }}
                    >
                      {t('al.openDetail')}
                    </Button>
                  ) : null}
                </Space>
              </div>
              {ackError?.id === a.id ? (
                <Alert
                  type="error"
                  showIcon
                  style={{ marginTop: 6 }}
                  data-testid={`al-ack-error-${a.id}`}
                  message={t('al.ackFailed', { message: ackError.message })}
                  closable
                  onClose={() => setAckError(null)}
                />
              ) : null}
            </div>,
          ];
        })}
      </div>
    </Card>
  );

  const detail = selected ? (
    <AlarmDetailPanel
      key={selected.id}
      alarm={selected}
      now={now}
      onAcknowledge={() => acknowledge(selected.id)}
      acknowledging={ack.isPending && ack.variables === selected.id}
      ackError={ackError?.id === selected.id ? ackError.message : null}
      onModalChange={onModalChange}
    />
  ) : null;

  return (
    <div style={{ maxWidth: '100%', overflowX: 'hidden' }}>
      <style>{ROW_STYLE}</style>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('menu.alConsole')}
      </Typography.Title>
      {side ? (
        <Row gutter={16} wrap={false}>
          <Col flex="0 0 440px" style={{ minWidth: 0 }}>
            {list}
          </Col>
          <Col flex="1 1 auto" style={{ minWidth: 0 }}>
            {detail ?? <Empty description={t('al.selectHint')} />}
          </Col>
        </Row>
      ) : (
        <>
          {list}
          <Drawer
            open={drawerOpen && selected !== null}
            onClose={() => setDrawerOpen(false)}
            width={phone ? '100%' : 620}
            title={t('al.detail')}
            destroyOnHidden
          >
            {detail}
          </Drawer>
        </>
      )}
    </div>
  );
}
