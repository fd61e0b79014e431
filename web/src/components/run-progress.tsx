import { useEffect, useRef, useState } from 'react';
import { Alert, Progress, Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { get } from '../api';
import type { Run, RunDetail } from '../entitlements-api';
import { useI18n } from '../shared/i18n-core';

/**
 * Follows one run: polls GET /api/runs/:id every second while it is running and shows the
 * progress bar; when it ends, shows 测算完成 (or the failure) and tells the parent once.
 */
export function RunProgress({ runId, onEnded }: { runId: number; onEnded: (run: Run) => void }) {
  const { t } = useI18n();
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ended = useRef(onEnded);
  ended.current = onEnded;

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const d = await get<RunDetail>(`/api/runs/${runId}`);
        if (!live) return;
        setRun(d.run);
        setError(null);
        if (d.run.status === 'running') timer = setTimeout(() => void poll(), 1000);
        else ended.current(d.run);
      } catch (e) {
        if (!live) return;
        setError((e as Error).message);
        timer = setTimeout(() => void poll(), 1000);
      }
    };
    void poll();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [runId]);

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
            format={() => (run.personsTotal === null ? `${run.progress}%` : `${(run.personsDone ?? 0).toLocaleString()} / ${run.personsTotal.toLocaleString()}`)}
          />
        </div>
        {run.status === 'finished' && (
          <Alert
            type="success" showIcon data-testid="run-done"
            message={t('run.done')}
            description={(
              <Space wrap>
                <span>{t('run.doneSub', { period: run.period, persons: run.personsDone ?? '—', granted: run.granted ?? '—', changes: run.changes ?? '—' })}</span>
                <Link to={`/runs/${run.id}`}>{t('run.detail')}</Link>
              </Space>
            )}
          />
        )}
        {run.status === 'failed' && <Alert type="error" showIcon data-testid="run-failed" message={t('run.failed')} description={run.message} />}
      </Space>
    </div>
  );
}
