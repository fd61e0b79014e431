import { Button, Card, Grid, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { PagedCards, PagedTable, type Paged } from '../../shared/paged';
import { useRewards } from './api';
import { Minutes } from './hours';
import type { EntryKind, LedgerLine } from './types';

const KIND_COLOR: Record<EntryKind, string> = { deposit: 'green', redeem: 'blue', transfer: 'purple', reversal: 'orange' };

export function KindTag({ kind }: { kind: EntryKind }) {
  const { t } = useI18n();
  return <Tag color={KIND_COLOR[kind]}>{t(`tb.kind.${kind}`)}</Tag>;
}

/**
 * The other side of an entry in words: a redemption's reward, a relative's or volunteer's account
 * (linked for who may open it), the system's issuance (a deposit) or redemption account.
 */
function Counterpart({ l, link }: { l: LedgerLine; link: boolean }) {
  const { t, pick } = useI18n();
  const rewards = useRewards(l.rewardKey !== null);
  const c = l.counterpart;
  if (l.rewardKey !== null) {
    const r = rewards.data?.find((x) => x.key === l.rewardKey);
    return <span>{r ? pick(r.label.zh, r.label.en) : l.rewardKey}</span>;
  }
  if (!c) return <span>—</span>;
  if (c.holderKind === 'system') return <span>{t(c.systemKey === 'redemption' ? 'tb.system.redemption' : 'tb.system.issuance')}</span>;
  const name = c.name ?? `#${c.accountId}`;
  return link ? <Link to={`/timebank/accounts/${c.accountId}`}>{name}</Link> : <span>{name}</span>;
}

/** What an entry refers to besides its counterpart: the event deposited, the entry reversed or reversing it. */
function Refs({ l }: { l: LedgerLine }) {
  const { t } = useI18n();
  return (
    <>
      {l.eventId !== null && <Tag>{t('tb.event', { id: l.eventId })}</Tag>}
      {l.reversesId !== null && <Tag color="orange">{t('tb.reverses', { id: l.reversesId })}</Tag>}
      {l.reversedById !== null && <Tag color="red">{t('tb.reversed', { id: l.reversedById })}</Tag>}
    </>
  );
}

/**
 * An account's ledger, newest first: kind, counterpart, minutes ± and the balance after each entry,
 * who and when, the note; `onReverse` (who may reverse) offers 冲正 on an entry not yet reversed.
 */
export function Ledger({ paged, onReverse, linkAccounts = true }: { paged: Paged<LedgerLine>; onReverse?: (l: LedgerLine) => void; linkAccounts?: boolean }) {
  const { t } = useI18n();
  const phone = Grid.useBreakpoint().xs === true;
  const reversible = (l: LedgerLine) => onReverse && l.kind !== 'reversal' && l.reversedById === null;
  if (phone)
    return (
      <PagedCards
        paged={paged}
        testId="tb-ledger-cards"
        rowKey={(l) => l.entryId}
        renderCard={(l) => (
          <Card size="small" style={{ width: '100%' }} data-testid={`tb-line-${l.entryId}`}>
            <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, alignItems: 'center' }}>
              <Space size={4} wrap>
                <KindTag kind={l.kind} />
                <Counterpart l={l} link={linkAccounts} />
              </Space>
              <b style={{ fontSize: 16 }}>
                <Minutes minutes={l.minutes} signed />
              </b>
            </div>
            <div style={{ fontSize: 12, marginTop: 4 }}>
              {shanghaiTime(l.at)} · {l.by?.name ?? t('tb.by.system')} · {t('tb.col.after')} <Minutes minutes={l.balanceAfter} />
            </div>
            {l.note && <Typography.Paragraph style={{ margin: '4px 0 0', fontSize: 13 }}>{l.note}</Typography.Paragraph>}
            <Refs l={l} />
          </Card>
        )}
      />
    );
  // Sized to fit a tablet (1024 px, the menu a strip of icons) without scrolling: who and when share
  // a column, a long counterpart or note is cut with an ellipsis and read in full on hover.
  const columns: ColumnsType<LedgerLine> = [
    { title: t('tb.col.entry'), dataIndex: 'entryId', width: 64, render: (v: number) => `#${v}` },
    { title: t('tb.col.entryKind'), key: 'kind', width: 84, render: (_, l) => <KindTag kind={l.kind} /> },
    { title: t('tb.col.counterpart'), key: 'counterpart', ellipsis: true, render: (_, l) => <Counterpart l={l} link={linkAccounts} /> },
    {
      title: t('tb.col.minutes'),
      key: 'minutes',
      width: 116,
      align: 'right',
      render: (_, l) => <Minutes minutes={l.minutes} signed testId={`tb-line-minutes-${l.entryId}`} />,
    },
    { title: t('tb.col.after'), key: 'after', width: 116, align: 'right', render: (_, l) => <Minutes minutes={l.balanceAfter} /> },
    {
      title: `${t('tb.col.by')} · ${t('tb.col.at')}`,
      key: 'byAt',
      width: 150,
      render: (_, l) => (
        <div style={{ lineHeight: 1.3 }}>
          <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{l.by?.name ?? t('tb.by.system')}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
            {shanghaiTime(l.at).slice(0, 16)}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('tb.col.note'),
      key: 'note',
      render: (_, l) => (
        <div data-testid={`tb-line-note-${l.entryId}`}>
          {l.note && (
            <Tooltip title={l.note}>
              <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{l.note}</div>
            </Tooltip>
          )}
          <Space size={2} wrap>
            <Refs l={l} />
          </Space>
        </div>
      ),
    },
  ];
  if (onReverse)
    columns.push({
      title: '',
      key: 'reverse',
      width: 76,
      render: (_, l) =>
        reversible(l) ? (
          <Button size="small" danger onClick={() => onReverse(l)} data-testid={`tb-reverse-${l.entryId}`}>
            {t('tb.reverse')}
          </Button>
        ) : null,
    });
  return <PagedTable<LedgerLine> paged={paged} testId="tb-ledger" size="small" rowKey={(l) => l.entryId} columns={columns} tableLayout="fixed" />;
}
