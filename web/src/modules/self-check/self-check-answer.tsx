import { Alert, Card, Typography } from 'antd';
import type { SelfCheckResult } from '../entitlements/types';
import { EntitlementList, WhatIfList } from '../entitlements/explanation';
import { useI18n } from '../../shared/i18n-core';
import { itemNumbers } from './numbers';
import { SelfCheckWhy } from './self-check-why';

/**
 * The public self-check's answer: what the person may receive, why in words, and what would
 * change it. Only words meant for the public: no rule code, file, hash, parameter source or
 * internal name.
 */
export function SelfCheckAnswer({ result }: { result: SelfCheckResult }) {
  const { t } = useI18n();
  // the entries of one catalogue row numbered apart (7-1, 7-2), as the "why" list below numbers them
  const numbers = itemNumbers(result.items);
  const entitlements = result.entitlements.map((e) => ({ ...e, no: numbers.get(e.id) ?? e.no }));
  return (
    <div data-testid="sc-result">
      <Card size="small" style={{ marginBottom: 12 }} title={t('sc.result', { n: result.entitlements.length })}>
        <Typography.Paragraph type="secondary" style={{ fontSize: 16 }}>
          {t('sc.basis', { period: result.period, title: result.catalogue.title, effective: result.catalogue.effective })}
        </Typography.Paragraph>
        {result.unset.length > 0 && <Alert type="warning" showIcon message={t('ent.unset', { names: result.unset.join('、') })} style={{ marginBottom: 8 }} />}
        {result.entitlements.length ? <EntitlementList items={entitlements} testId="sc-entitlements" /> : <Typography.Text>{t('sc.none')}</Typography.Text>}
      </Card>
      <Card size="small" style={{ marginBottom: 12 }} title={t('ent.why')}>
        <SelfCheckWhy result={result} testId="sc-why" />
      </Card>
      <Card size="small" style={{ marginBottom: 12 }} title={t('ent.whatIf')}>
        <WhatIfList items={result.whatIf} testId="sc-what-if" />
      </Card>
      <Typography.Paragraph type="secondary" style={{ fontSize: 16, textAlign: 'center' }}>
        {t('sc.disclaimer')} {t('sc.privacy')}
      </Typography.Paragraph>
    </div>
  );
}
