import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Progress, Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { get } from '../../shared/api';
import type { Run, RunDetail } from './types';
import { useI18n } from '../../shared/i18n-core';
import { useLiveEvents } from '../../hooks/use-events';

/** The `run` event of GET /api/events (the counts are null for viewers of part of the jurisdiction). */
interface RunEvent {
  id: number;
  status: Run['status'];
  progress: number;
  personsDone: number | null;
  personsTotal: number | null;
}

/**
 * Follows one run: reads GET /api/runs/:id once, then follows the run's live events (GET
 * /api/events) and shows the progress bar; when it ends, reads the run again (its totals and
 * message), shows 测算完成 (or the failure) and tells the parent once. Where the live stream is
 * not available it polls GET /api/runs/:id every second instead.
 */
export function RunProgress({ runId, onEnded }: { runId: number; onEnded: (run: Run) => void }) {
  const { t } = useI18n();
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ended = useRef(onEnded);
  ended.current = onEnded;

  // the run as last read, and whether it has been reported ended (once)
  const reported = useRef(false);
  const read = useCallback(async () => {
    const d = await get<RunDetail>(`/api/runs/${runId}`);
    setRun(d.run);
    setError(null);
    if (d.run.status !== 'running' && !reported.current) {
      reported.current = true;
      ended.current(d.run);
    }
    return d.run;
  }, [runId]);

  const onRun = useCallback(
    (e: RunEvent) => {
      if (e.id !== runId) return;
      setRun((r) => (r ? { ...r, status: e.status, progress: e.progress, personsDone: e.personsDone, personsTotal: e.personsTotal } : r));
      // the end: read the run for its totals and message
      if (e.status !== 'running') void read().catch((err: unknown) => setError((err as Error).message));
    },
    [runId, read],
  );
  const live = useLiveEvents<RunEvent>('run', onRun, run?.status === 'running');

  useEffect(() => {
    reported.current = false;
    void read().catch((e: unknown) => setError((e as Error).message));
  }, [read]);

  // No live stream: poll every second while the run is running. With one, read now and then too:
  // a run executed by another process (the command line) publishes its events there.
  const every = live === 'failed' ? 1000 : 15_000;
  const polling = run === null || run.status === 'running';
  useEffect(() => {
    if (!polling) return;
    let on = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const r = await read();
        if (on && r.status === 'running') timer = setTimeout(() => void poll(), every);
      } catch (e) {
        if (!on) return;
        setError((e as Error).message);
        timer = setTimeout(() => void poll(), every);
      }
    };
    timer = setTimeout(() => void poll(), every);
    return () => {
      on = false;
      if (timer) clearTimeout(timer);
    };
  }, [polling, every, read]);

  if (error && !run) return <Alert type="error" showIcon message={error} />;
  if (!run) return null;
  return (
    <div data-testid="run-tracker">
      <Space direction="vertical" style={{ width: '100%' }}>
        {run.status === 'running' && <Typography.Text>{t('run.running', { period: run.period, id: run.id })}</Typography.Text>}
        <div data-testid="run-progress">
          <Progress
            percent={run.progress}
            status={run.status === 'failed' ? 'exception' : run.status === 'finished' ? 'success' : 'active'}
            format={() =>
              run.personsTotal === null ? `${run.progress}%` : `${(run.personsDone ?? 0).toLocaleString()} / ${run.personsTotal.toLocaleString()}`
            }
          />
        </div>
        {run.status === 'finished' && (
          <Alert
            type="success"
            showIcon
            data-testid="run-done"
            message={t('run.done')}
            description={
              <Space wrap>
                <span>
                  {t('run.doneSub', { period: run.period, persons: run.personsDone ?? '—', granted: run.granted ?? '—', changes: run.changes ?? '—' })}
                </span>
                <Link to={`/runs/${run.id}`}>{t('run.detail')}</Link>
              </Space>
            }
          />
        )}
        {run.status === 'failed' && <Alert type="error" showIcon data-testid="run-failed" message={t('run.failed')} description={run.message} />}
      </Space>
    </div>
  );
}
