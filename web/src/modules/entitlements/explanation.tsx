import { useState, type ReactNode } from 'react';
import { QuestionCircleTwoTone } from '@ant-design/icons';
import { Alert, Collapse, Empty, List, Space, Switch, Tag, Typography } from 'antd';
import type { BenefitKind, ParamType, UsedParam } from '../catalogue/types';
import type { Entitlement, Explanation, FactValue, ItemExplanation, ItemMeta, Trace, WhatIf } from './types';
import { factLabel, factLabels, factValueLabel } from '../../shared/fact-labels';
import { paramSource } from '../../shared/labels';
import { yuan } from '../../shared/format';
import { useI18n, type Locale, type MessageKey } from '../../shared/i18n-core';
import { BenefitKindTag, scheduleLabel } from '../../shared/ent-tags';

/** What the console knows of a parameter (a run's detail gives both; the public page knows neither). */
export type ParamInfo = Record<string, { label: string; type: ParamType }>;
type Mode = 'money' | 'percent' | 'plain';

export const Yes = () => (
  <Typography.Text type="success" strong aria-label="✓">
    ✓
  </Typography.Text>
);
export const No = () => (
  <Typography.Text type="danger" strong aria-label="✗">
    ✗
  </Typography.Text>
);

/** The unknown facts an undecided item waits for, by their labels: "需要长期照护、…". */
export function missingLabels(facts: string[], locale: Locale): string {
  return facts.map((f) => factLabel(f, locale)).join(locale === 'en' ? ', ' : '、');
}

function benefitValue(kind: BenefitKind, v: number | null, t: (k: MessageKey, vars?: Record<string, string | number>) => string): string {
  // A zero amount or percent is no benefit: never "减免 0%" or "0.00 元/月".
  if (v === null || v <= 0) return '';
  if (kind === 'cash_monthly') return `${yuan(v)} ${t('common.perMonth')}`;
  if (kind === 'discount') return v >= 100 ? t('ent.free') : t('ent.discount', { p: v });
  return '';
}

/** The benefit text of a service is often its name again: say it once. */
function sameAsName(name: string, text: string): boolean {
  return !text || text === name;
}

interface Ctx {
  locale: Locale;
  params: ParamInfo;
  t: (k: MessageKey) => string;
}

function formatNumber(v: number, mode: Mode, t: Ctx['t']): string {
  return mode === 'money' ? `${yuan(v)} ${t('common.yuan')}` : mode === 'percent' ? `${v}%` : String(v);
}

/** "年龄 = 82 周岁", "nx_high_age_80 = 50.00 元": a name a step read and its value. */
function usedText(name: string, v: FactValue | null, leafMode: Mode, bare: boolean, c: Ctx): string {
  if (name in factLabels) return `${factLabel(name, c.locale)} = ${factValueLabel(name, v, c.locale)}`;
  const p = c.params[name];
  const label = p ? `${p.label} (${name})` : name;
  if (typeof v === 'number') {
    const mode: Mode = p ? (p.type === 'money' ? 'money' : 'plain') : bare ? leafMode : 'plain';
    return `${label} = ${formatNumber(v, mode, c.t)}`;
  }
  return `${label} = ${v === null ? '—' : String(v)}`;
}

/** A condition's test is boolean; its branches carry the amount. */
function partMode(node: Trace, i: number, mode: Mode): Mode {
  return node.parts && node.parts.length === 3 && /\?/.test(node.text) ? (i === 0 ? 'plain' : mode) : 'plain';
}

/** Parameters an amount reads bare where money is meant: money, even when the API does not say so. */
function moneyParams(node: Trace, mode: Mode, out = new Set<string>()): Set<string> {
  if (mode === 'money' && node.uses && node.text.trim() in node.uses) out.add(node.text.trim());
  node.parts?.forEach((p, i) => moneyParams(p, partMode(node, i, mode), out));
  return out;
}

/** One step of a rule or amount: its text, ✓/✗ or its value, the facts and parameters it read, then its parts. */
function TraceNode({ node, mode, c, depth = 0 }: { node: Trace; mode: Mode; c: Ctx; depth?: number }) {
  const v = node.value;
  // a condition that reads an unknown fact is itself unknown: neither ✓ nor ✗
  const unknown = v === null && mode === 'plain';
  const mark =
    v === true ? (
      <Yes />
    ) : v === false ? (
      <No />
    ) : unknown ? (
      <Typography.Text type="warning" strong>
        ？{c.t('ent.unknownValue')}
      </Typography.Text>
    ) : null;
  const shown = typeof v === 'number' ? formatNumber(v, mode, c.t) : v === null ? (unknown ? null : '—') : typeof v === 'string' ? v : null;
  const uses = node.uses ? Object.entries(node.uses).map(([n, x]) => usedText(n, x, mode, node.text.trim() === n, c)) : [];
  return (
    <div style={{ marginLeft: depth ? 16 : 0, borderLeft: depth ? '1px dashed #d9d9d9' : undefined, paddingLeft: depth ? 8 : 0 }}>
      <Space size={6} wrap style={{ rowGap: 0 }}>
        <Typography.Text code style={{ fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          {node.text}
        </Typography.Text>
        {mark}
        {shown !== null && <span>= {shown}</span>}
        {uses.length > 0 && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            ({uses.join('，')})
          </Typography.Text>
        )}
      </Space>
      {node.parts?.map((p, i) => (
        <TraceNode key={i} node={p} mode={partMode(node, i, mode)} c={c} depth={depth + 1} />
      ))}
    </div>
  );
}

function ParamsUsed({ params, money, c }: { params: Record<string, UsedParam>; money: Set<string>; c: Ctx }) {
  const entries = Object.entries(params);
  if (!entries.length) return null;
  return (
    <ul style={{ margin: 0, paddingLeft: 18 }}>
      {entries.map(([name, u]) => {
        const p = c.params[name];
        const value =
          typeof u.value === 'number' && (p ? p.type === 'money' : money.has(name))
            ? `${yuan(u.value)} ${c.t('common.yuan')}`
            : u.value === null
              ? '—'
              : String(u.value);
        return (
          <li key={name} style={{ fontSize: 12 }}>
            <span>{p?.label ?? name}</span> = <strong>{value}</strong>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {' '}
              · {u.from}
              {u.to ? ` ~ ${u.to}` : ''} · {paramSource(u, c.locale)}
            </Typography.Text>
          </li>
        );
      })}
    </ul>
  );
}

function ItemWhy({ it, meta, names, c }: { it: ItemExplanation; meta?: ItemMeta; names: Map<string, string>; c: Ctx }) {
  const { t } = useI18n();
  const kind = meta?.kind ?? 'service';
  const amountMode: Mode = kind === 'cash_monthly' ? 'money' : kind === 'discount' ? 'percent' : 'plain';
  const schedule = `${scheduleLabel(it.schedule.when, t)}${it.schedule.when === 'monthly' ? '' : ` · ${it.schedule.note}`}`;
  const row = (label: string, body: ReactNode) => (
    <div style={{ marginBottom: 6 }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {label}
      </Typography.Text>
      <div>{body}</div>
    </div>
  );
  return (
    <div data-testid={`why-${it.id}`}>
      {row(t('ent.rule'), <TraceNode node={it.rule} mode="plain" c={c} />)}
      {row(
        t('ent.schedule'),
        it.schedule.fires ? (
          <span>
            <Yes /> {schedule}
          </span>
        ) : (
          <span>
            <No /> {t('ent.scheduleNo', { note: schedule })}
          </span>
        ),
      )}
      {it.amount && row(t('ent.amount'), <TraceNode node={it.amount} mode={amountMode} c={c} />)}
      {it.zero &&
        row(
          '',
          <Typography.Text type="warning" data-testid={`why-zero-${it.id}`}>
            {t('ent.zero')}
          </Typography.Text>,
        )}
      {it.excludedBy && row('', <Typography.Text type="warning">{t('ent.excludedBy', { name: names.get(it.excludedBy) ?? it.excludedBy })}</Typography.Text>)}
      {(it.missing?.length ?? 0) > 0 &&
        row(
          '',
          <Typography.Text type="warning" data-testid={`why-verify-${it.id}`}>
            {t('ent.verifyWhy', { facts: missingLabels(it.missing!, c.locale) })}
          </Typography.Text>,
        )}
      {Object.keys(it.params).length > 0 &&
        row(t('ent.paramsUsed'), <ParamsUsed params={it.params} money={it.amount ? moneyParams(it.amount, amountMode) : new Set()} c={c} />)}
    </div>
  );
}

/**
 * 为什么: every item with ✓ or ✗, and inside, each condition with the values read and the
 * parameter versions used. `entitlements` (when given) supplies the benefit text of granted items.
 */
export function ExplanationTree(props: {
  explanation: Explanation;
  items: ItemMeta[];
  entitlements?: Entitlement[];
  params?: ParamInfo;
  onlyGranted?: boolean;
  testId?: string;
}) {
  const { t, locale } = useI18n();
  const [onlyGranted, setOnlyGranted] = useState(props.onlyGranted ?? false);
  const c: Ctx = { locale, params: props.params ?? {}, t };
  const meta = new Map(props.items.map((i) => [i.id, i]));
  const names = new Map(props.items.map((i) => [i.id, i.name]));
  const texts = new Map((props.entitlements ?? []).map((e) => [e.id, e.text]));
  const e = props.explanation;
  // undecided items (a fact their rule reads is unknown) stay in view: they are neither granted nor refused
  const undecided = e.items.filter((i) => (i.missing?.length ?? 0) > 0);
  const shown = e.items.filter((i) => !onlyGranted || i.granted || (i.missing?.length ?? 0) > 0);
  return (
    <div data-testid={props.testId ?? 'explanation'}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Switch size="small" checked={onlyGranted} onChange={setOnlyGranted} data-testid="why-only-granted" />
        <span>{t('ent.onlyGranted')}</span>
      </Space>
      {undecided.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="verify-summary"
          message={t('ent.verifyList', {
            items: undecided.map((i) => `${names.get(i.id) ?? i.id}（${missingLabels(i.missing!, locale)}）`).join('；'),
          })}
        />
      )}
      {e.population.value !== true && (
        <div style={{ marginBottom: 8 }}>
          <Typography.Text type="secondary">{t('ent.population')}: </Typography.Text>
          <TraceNode node={e.population} mode="plain" c={c} />
        </div>
      )}
      <Collapse
        size="small"
        items={shown.map((it) => {
          const m = meta.get(it.id);
          const text = texts.get(it.id) ?? (it.granted && m ? benefitValue(m.kind, it.value, t) : '');
          return {
            key: it.id,
            label: (
              <Space size={6} wrap>
                {it.granted ? <Yes /> : (it.missing?.length ?? 0) > 0 ? <QuestionCircleTwoTone twoToneColor="#faad14" /> : <No />}
                <span>{m ? `${m.no}. ${m.name}` : it.id}</span>
                {m && <BenefitKindTag kind={m.kind} />}
                {it.granted && m && !sameAsName(m.name, text) && <Typography.Text type="secondary">{text}</Typography.Text>}
                {!it.granted && it.zero && <Tag color="default">{t('ent.zeroTag')}</Tag>}
                {!it.granted && (it.missing?.length ?? 0) > 0 && (
                  <Tag color="gold" data-testid={`verify-tag-${it.id}`}>
                    {t('ent.verifyTag')}
                  </Tag>
                )}
                {!it.granted && it.excludedBy && <Tag color="warning">{t('ent.excludedBy', { name: names.get(it.excludedBy) ?? it.excludedBy })}</Tag>}
              </Space>
            ),
            children: <ItemWhy it={it} meta={m} names={names} c={c} />,
          };
        })}
      />
    </div>
  );
}

/** The items a person receives: name and what, in words. */
export function EntitlementList({ items, testId }: { items: Entitlement[]; testId?: string }) {
  const { t } = useI18n();
  if (!items.length) return <Empty description={t('ent.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <List
      size="small"
      data-testid={testId ?? 'entitlements'}
      dataSource={items}
      renderItem={(e) => (
        <List.Item key={e.id}>
          <Space size={6} wrap>
            <Yes />
            <Typography.Text strong>
              {e.no}. {e.name}
            </Typography.Text>
            <BenefitKindTag kind={e.kind} />
            {!sameAsName(e.name, e.text) && <Typography.Text type="secondary">{e.text}</Typography.Text>}
          </Space>
        </List.Item>
      )}
    />
  );
}

/** "如果 失能等级 变为 重度失能 → 新增 护理补贴 200.00 元/月". */
export function WhatIfList({ items, testId }: { items: WhatIf[]; testId?: string }) {
  const { t, locale } = useI18n();
  if (!items.length) return <Typography.Text type="secondary">{t('ent.whatIfNone')}</Typography.Text>;
  const what = (name: string, text: string) => (sameAsName(name, text) ? name : `${name} ${text}`);
  return (
    <List
      size="small"
      data-testid={testId ?? 'what-if'}
      dataSource={items}
      renderItem={(w, i) => {
        const fact = w.fact in factLabels ? factLabel(w.fact, locale) : w.label;
        const to = factValueLabel(w.fact, w.to, locale);
        return (
          <List.Item key={i} style={{ display: 'block' }}>
            <Typography.Text strong>{t('ent.if', { fact, to })}</Typography.Text>
            <span> →</span>
            <div style={{ marginTop: 4, display: 'flex', flexWrap: 'wrap', gap: 4 }}>
              {w.gained.map((g) => (
                <Tag key={`+${g.id}`} color="green" style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}>
                  {t('ent.gain')} {what(g.name, g.text)}
                </Tag>
              ))}
              {w.lost.map((l) => (
                <Tag key={`-${l.id}`} color="red" style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}>
                  {t('ent.lose')} {l.name}
                </Tag>
              ))}
              {w.changed.map((c) => (
                <Tag key={`~${c.id}`} color="orange" style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}>
                  {t('ent.changeTo', { name: c.name, from: c.from, to: c.to })}
                </Tag>
              ))}
            </div>
          </List.Item>
        );
      }}
    />
  );
}
