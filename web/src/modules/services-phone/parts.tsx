import { Alert, Tag, Typography } from 'antd';
import { useI18n } from '../../shared/i18n-core';
import type { StepItem } from './offline';
import { distanceWords, type FarNotice } from './order-state';

const { Text } = Typography;

export { BIG } from '../visits-phone/parts';

const stateColors = { waiting: 'orange', sending: 'blue', sent: 'green', refused: 'red' } as const;

/** A step on the device: its state, and the server's words when it said no. */
export function StepState({ item }: { item: StepItem }) {
  const { t } = useI18n();
  return (
    <span data-testid={`sp-step-${item.meta.kind}`} data-state={item.state} style={{ display: 'block' }}>
      <Text>{t(`sp.step.${item.meta.kind}`)} </Text>
      <Tag color={stateColors[item.state]}>{t(`sp.local.${item.state}`)}</Tag>
      {item.state === 'refused' && item.error && (
        <Text type="danger" style={{ display: 'block' }} data-testid="sp-refused">
          {item.error.message}
        </Text>
      )}
    </span>
  );
}

/**
 * The check-in was far from the home: said plainly, as a matter to verify, not as the caregiver's
 * fault — drift and an elder served elsewhere are the usual reasons, and the provider explains it.
 */
export function FarCheckin({ far, serving }: { far: FarNotice; serving: boolean }) {
  const { t, locale } = useI18n();

  return (
    <Alert
      type="warning"
      showIcon
      data-testid="sp-far"
      style={{ marginBottom: 12, fontSize: 16 }}
      message={
        <span style={{ fontWeight: 600 }}>
          {far.distanceM !== null ? t('sp.far.title', { distance: distanceWords(far.distanceM, locale) }) : t('sp.far.titleFar')}
          {far.accuracyM !== null ? t('sp.far.accuracy', { m: far.accuracyM }) : ''}
        </span>
      }
      description={serving ? `${t('sp.far.body')}${locale === 'en' ? ' ' : ''}${t('sp.far.carryOn')}` : t('sp.far.body')}
    />
  );
}
