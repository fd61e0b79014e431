import { useMemo } from 'react';
import { Alert, Card, Empty, Spin, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../../shared/i18n-core';
import { usePersonEntitlements, useRun } from './api';
import { EntitlementList, ExplanationTree, WhatIfList, type ParamInfo } from './explanation';

/** 待遇 (profile tab): what the person receives now, why (from the latest run), and what would change it. */
export function ProfileEntitlements({ personId }: { personId: string }) {
  const { t } = useI18n();
  const entitlements = usePersonEntitlements(personId);
  const data = entitlements.data ?? null;
  const error = entitlements.error?.message ?? null;
  // The explanation names parameters but not their type or label; the run's detail has both
  // (without it, the parameters show by name).
  const run = useRun(data?.decision ? data.decision.run.id : null).data;
  const params = useMemo<ParamInfo>(() => (run ? Object.fromEntries(run.params.map((p) => [p.name, { label: p.label, type: p.type }])) : {}), [run]);

  if (error) return <Alert type="error" showIcon message={error} />;
  if (!data) return <Spin style={{ display: 'block', margin: '40px auto' }} />;
  const { now, decision } = data;

  return (
    <div data-testid="profile-entitlements">
      <Card size="small" title={t('ent.current', { period: now.period })} style={{ marginBottom: 12 }}>
        {now.unset.length > 0 && <Alert type="warning" showIcon message={t('ent.unset', { names: now.unset.join('、') })} style={{ marginBottom: 8 }} />}
        <EntitlementList items={now.entitlements} testId="profile-entitlements-now" />
      </Card>
      <Card
        size="small"
        style={{ marginBottom: 12 }}
        title={decision ? <Link to={`/runs/${decision.run.id}`}>{t('ent.decision', { period: decision.run.period, id: decision.run.id })}</Link> : t('ent.why')}
      >
        {!decision && <Empty description={t('ent.noRun')} image={Empty.PRESENTED_IMAGE_SIMPLE} />}
        {decision && !decision.explanation && <Typography.Text type="secondary">{t('ent.noDecision')}</Typography.Text>}
        {decision?.explanation && (
          <ExplanationTree explanation={decision.explanation} items={decision.items} params={params} onlyGranted testId="profile-explanation" />
        )}
      </Card>
      <Card size="small" title={t('ent.whatIf')}>
        <WhatIfList items={now.whatIf} testId="profile-what-if" />
      </Card>
      {/* the items a city (or province) pays on top of the county's, from its own catalogue and runs */}
      {data.above.map((part) => (
        <Card
          key={part.jurisdiction.code}
          size="small"
          style={{ marginTop: 12 }}
          data-testid={`profile-entitlements-above-${part.jurisdiction.code}`}
          title={t('ent.above', { name: part.jurisdiction.name, title: part.jurisdiction.title })}
          extra={
            part.decision ? (
              <Link to={`/runs/${part.decision.run.id}`}>{t('ent.decision', { period: part.decision.run.period, id: part.decision.run.id })}</Link>
            ) : null
          }
        >
          <EntitlementList items={part.now.entitlements} testId={`profile-entitlements-above-now-${part.jurisdiction.code}`} />
        </Card>
      ))}
    </div>
  );
}
