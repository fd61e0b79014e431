import { Tag, Typography } from 'antd';
import { useI18n, type Locale } from '../../shared/i18n-core';
import { factLabel, factValueLabel, livingLabels } from '../../shared/fact-labels';
import { tagColors } from '../../shared/labels';
import type { VisitItem } from './offline';
import type { VisitMode } from './types';

const { Text } = Typography;

/** Large touch targets on the phone pages (≥ 44 px). */
export const BIG = { minHeight: 48, fontSize: 16 } as const;

export function modeWord(t: ReturnType<typeof useI18n>['t'], mode: string): string {
  return mode === 'home' || mode === 'phone' || mode === 'video' || mode === 'message' ? t(`vp.mode.${mode as VisitMode}`) : mode;
}

/** The register's sex code in words (M / F); anything else as it came. */
export function sexWord(t: ReturnType<typeof useI18n>['t'], sex: string): string {
  return sex === 'M' ? t('vp.sex.M') : sex === 'F' ? t('vp.sex.F') : sex;
}

const stateColors = { waiting: 'orange', sending: 'blue', sent: 'green', refused: 'red' } as const;

/** A visit on the device: its state, and once sent whether it counted and why not. */
export function VisitState({ item }: { item: VisitItem }) {
  const { t, pick } = useI18n();
  const r = item.reply;
  return (
    <span data-testid={`vp-state-${item.clientId}`} data-state={item.state} data-counted={r ? String(r.counted) : ''}>
      <Tag color={stateColors[item.state]}>{t(`vp.local.${item.state}`)}</Tag>
      {r &&
        (r.counted ? (
          <Text type="success" data-testid="vp-counted">
            {t('vp.counted.yes')}
          </Text>
        ) : (
          <Text type="warning" data-testid="vp-not-counted">
            {t('vp.counted.no', {
              reason: r.reasonWords ? pick(r.reasonWords.zh, r.reasonWords.en) : t(r.reason ? `vp.reason.${r.reason}` : 'vp.reason.none'),
            })}
          </Text>
        ))}
      {r?.merged && (
        <Text type="secondary" style={{ display: 'block' }}>
          {t('vp.merged')}
        </Text>
      )}
      {item.state === 'refused' && item.error && (
        <Text type="danger" style={{ display: 'block' }} data-testid="vp-refused">
          {item.error.message}
        </Text>
      )}
    </span>
  );
}

/** A tag of today's list in words: living_alone, empty_nest, left_behind, solitary, special_family, hardship:<kind>, disability:<grade>. */
export function tagWord(tag: string, t: ReturnType<typeof useI18n>['t'], locale: Locale): string {
  const [kind, value] = tag.split(':') as [string, string | undefined];
  const living = livingLabels[kind === 'living_alone' ? 'alone' : kind];
  if (living) return locale === 'en' ? living.en : living.zh;
  if (kind === 'special_family') return factLabel('specialFamily', locale);
  if (kind === 'hardship' && value) return factValueLabel('hardship', value, locale);
  if (kind === 'disability' && value) return t('vp.tag.disability', { grade: factValueLabel('disabilityGrade', Number(value), locale) });
  return tag;
}

export function TagWord({ tag }: { tag: string }) {
  const { t, locale } = useI18n();
  const [kind, value] = tag.split(':') as [string, string | undefined];
  return <Tag color={tagColors[value ?? kind] ?? tagColors[kind]}>{tagWord(tag, t, locale)}</Tag>;
}
