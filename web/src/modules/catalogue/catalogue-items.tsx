import { Descriptions, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { CatalogueItem, CatalogueParameter } from './types';
import { dash } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { BenefitKindTag, scheduleLabel } from '../../shared/ent-tags';

export const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 } as const;

/** A rule or amount expression as the catalogue file writes it. */
export function Code({ children }: { children: string | null | undefined }) {
  if (!children) return <>—</>;
  return (
    <Typography.Text code style={{ ...mono, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {children}
    </Typography.Text>
  );
}

/** Who an item is for, in words made from its rule (the server's sentence, in the console's language). */
export function RuleSentence({ it }: { it: CatalogueItem }) {
  const { locale } = useI18n();
  return <span data-testid={`rule-words-${it.id}`}>{locale === 'en' ? it.sentence.en : it.sentence.zh}</span>;
}

/**
 * The insurer of an insurance item in words: its parameter's value now (the company's name), or
 * that it is not set yet, with the parameter's label; its name only for the bureau (`technical`).
 */
function Insurer({ it, name, parameters, technical }: { it: CatalogueItem; name: string; parameters?: CatalogueParameter[]; technical: boolean }) {
  const { t } = useI18n();
  const p = parameters?.find((x) => x.name === name);
  const value = p?.current?.value;
  return (
    <span data-testid={`insurer-${it.id}`}>
      {t('cat.insurer')}: {value !== undefined && value !== null && value !== '' ? String(value) : p ? t('cat.insurerUnset', { label: p.label }) : ''}
      {(technical || !p) && (
        <>
          {' '}
          <Code>{name}</Code>
        </>
      )}
    </span>
  );
}

function Benefit({ it, parameters, technical }: { it: CatalogueItem; parameters?: CatalogueParameter[]; technical: boolean }) {
  const { t, locale } = useI18n();
  const b = it.benefit;
  const amount = it.amountSentence && (locale === 'en' ? it.amountSentence.en : it.amountSentence.zh);
  return (
    <Space direction="vertical" size={2}>
      <BenefitKindTag kind={b.kind} />
      {amount && (
        <span data-testid={`amount-words-${it.id}`}>
          {b.amount ? t('cat.amount') : t('cat.percent')}: {amount}
        </span>
      )}
      {b.quota && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {b.quota}
        </Typography.Text>
      )}
      {b.insurer && <Insurer it={it} name={b.insurer} parameters={parameters} technical={technical} />}
    </Space>
  );
}

function ItemDetail({ it, technical }: { it: CatalogueItem; technical: boolean }) {
  const { t } = useI18n();
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
      <Descriptions.Item label={t('cat.content')} span={2}>
        {it.content}
      </Descriptions.Item>
      <Descriptions.Item label={t('cat.col.rule')} span={2}>
        <RuleSentence it={it} />
      </Descriptions.Item>
      {technical && (
        <Descriptions.Item label={t('cat.ruleCode')} span={2}>
          <Space direction="vertical" size={2}>
            <Code>{it.rule}</Code>
            {it.benefit.amount && <Code>{it.benefit.amount}</Code>}
            {it.benefit.percent && <Code>{it.benefit.percent}</Code>}
          </Space>
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t('cat.when')}>{scheduleLabel(it.when, t)}</Descriptions.Item>
      {technical && (
        <Descriptions.Item label={t('cat.params')}>
          {it.params.length
            ? it.params.map((p) => (
                <Tag key={p} style={mono}>
                  {p}
                </Tag>
              ))
            : '—'}
        </Descriptions.Item>
      )}
      {it.exclusive && (
        <Descriptions.Item label={t('cat.col.note')} span={2}>
          {t('cat.exclusive', { group: it.exclusive.group, rank: it.exclusive.rank })}
        </Descriptions.Item>
      )}
      {technical && (
        <Descriptions.Item label="ID">
          <span style={mono}>{it.id}</span>
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t('cat.col.source')}>{it.source}</Descriptions.Item>
    </Descriptions>
  );
}

/**
 * 服务事项: the catalogue's rows, each with its rule in words and its benefit; a row expands to its
 * full text. `technical` (the bureau, who maintains the catalogue) adds the rule's code, the
 * parameters' names and the item's id.
 */
export function CatalogueItems({ items, technical, parameters }: { items: CatalogueItem[]; technical: boolean; parameters?: CatalogueParameter[] }) {
  const { t } = useI18n();
  const columns: ColumnsType<CatalogueItem> = [
    { title: t('cat.col.no'), dataIndex: 'no', width: 60 },
    {
      title: t('cat.col.name'),
      dataIndex: 'name',
      width: 170,
      render: (v: string, r) => (
        <Space size={4} wrap>
          <Typography.Text strong>{v}</Typography.Text>
          {r.local && (
            <Tooltip title={t('cat.localHint')}>
              <Tag color="volcano" data-testid="item-local">
                {t('cat.local')}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    { title: t('cat.col.target'), dataIndex: 'target', width: 150 },
    { title: t('cat.col.types'), dataIndex: 'types', width: 100, render: (v: string[]) => v.map((x) => <Tag key={x}>{x}</Tag>) },
    { title: t('cat.col.department'), dataIndex: 'department', width: 120, render: (v: string | null) => dash(v) },
    { title: t('cat.col.rule'), key: 'rule', width: 260, render: (_, r) => <RuleSentence it={r} /> },
    { title: t('cat.col.benefit'), key: 'benefit', width: 230, render: (_, r) => <Benefit it={r} parameters={parameters} technical={technical} /> },
    { title: t('cat.col.source'), dataIndex: 'source', width: 130 },
    { title: t('cat.col.note'), dataIndex: 'note', width: 160, render: (v: string | null) => dash(v) },
  ];
  return (
    <div data-testid="catalogue-items">
      <Table<CatalogueItem>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        scroll={{ x: 1400 }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        expandable={{ expandedRowRender: (r) => <ItemDetail it={r} technical={technical} /> }}
      />
    </div>
  );
}
