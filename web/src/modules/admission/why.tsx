import { Descriptions, Tag, Timeline, Typography } from 'antd';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import type { DetailReply } from './types';

/** Why an application is where it is: the tier, its rule in words, the conditions that hold, the preference, the date. */
export function WhyPlaced({ why }: { why: DetailReply['why'] }) {
  const { t, pick } = useI18n();
  const join = (ws: { zh: string; en: string }[]) => ws.map((w) => pick(w.zh, w.en)).join(' · ');
  // the conditions met are shown only when they say more than the rule itself (a one-condition rule says it already)
  const held = join(why.held);
  const showHeld = held !== '' && (!why.rule || held !== pick(why.rule.zh, why.rule.en));
  return (
    <Descriptions size="small" column={1} bordered data-testid="adm-why">
      <Descriptions.Item label={t('adm.col.tier')}>
        {why.tier === null ? t('adm.general') : t('adm.tierN', { n: why.tier })} · {pick(why.tierLabel.zh, why.tierLabel.en)}
        {why.preferred && (
          <Tag color="gold" style={{ marginLeft: 8 }}>
            {t('adm.preferred')}
          </Tag>
        )}
      </Descriptions.Item>
      {why.rule && <Descriptions.Item label={t('adm.rules')}>{pick(why.rule.zh, why.rule.en)}</Descriptions.Item>}
      {showHeld && <Descriptions.Item label={t('adm.why.held.label')}>{held}</Descriptions.Item>}
      {why.preferred && (
        <Descriptions.Item label={t('adm.preferred')}>{join(why.preferred.held) || pick(why.preferred.label.zh, why.preferred.label.en)}</Descriptions.Item>
      )}
      <Descriptions.Item label={t('adm.col.applied')}>{why.queueOn}</Descriptions.Item>
    </Descriptions>
  );
}

/** The changes of place, newest first, each with its reason. */
export function PositionHistory({ history }: { history: DetailReply['history'] }) {
  const { t, pick } = useI18n();
  if (!history.length) return <Typography.Text type="secondary">{t('adm.history.none')}</Typography.Text>;
  return (
    <Timeline
      data-testid="adm-history"
      items={[...history].reverse().map((h, i) => ({
        key: i,
        color: h.to === null ? 'gray' : h.from !== null && h.to > h.from ? 'red' : 'green',
        children: (
          <div data-testid="adm-history-row">
            <Typography.Text strong>
              {h.from === null
                ? `${t('adm.history.joined')} · ${t('trk.positionN', { n: h.to ?? 0 })}`
                : h.to === null
                  ? t('adm.history.left')
                  : t('adm.history.move', { from: h.from, to: h.to })}
            </Typography.Text>
            <div>{pick(h.reason.zh, h.reason.en)}</div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {shanghaiTime(h.at)}
            </Typography.Text>
          </div>
        ),
      }))}
    />
  );
}
