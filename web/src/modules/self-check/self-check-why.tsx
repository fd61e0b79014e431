import { useState } from 'react';
import { QuestionCircleTwoTone } from '@ant-design/icons';
import { List, Space, Switch, Tag, Typography } from 'antd';
import type { SelfCheckResult } from '../entitlements/types';
import { No, Yes, missingLabels } from '../entitlements/explanation';
import { useI18n } from '../../shared/i18n-core';
import { itemNumbers } from './numbers';

/**
 * 为什么 on the public page: each item with ✓, ✗ or 需核实, its number and name, who it is for in
 * words (the server's sentence made from the rule), and why it was not given when it was not. No
 * rule code, no parameter or fact names, no item ids, no file, hash or parameter source: the
 * officers' explanation (entitlements/explanation.tsx) shows those, behind a login.
 */
export function SelfCheckWhy({ result, testId }: { result: SelfCheckResult; testId?: string }) {
  const { t, locale } = useI18n();
  const [all, setAll] = useState(false);
  const meta = new Map(result.items.map((i) => [i.id, i]));
  const numbers = itemNumbers(result.items);
  const texts = new Map(result.entitlements.map((e) => [e.id, e.text]));
  const name = (id: string) => meta.get(id)?.name ?? '';
  const shown = result.explanation.items.filter((i) => meta.has(i.id) && (all || i.granted || (i.missing?.length ?? 0) > 0));
  return (
    <div data-testid={testId ?? 'sc-why'}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Switch size="small" checked={all} onChange={setAll} data-testid="sc-why-all" />
        <span>{t('sc.whyAll')}</span>
      </Space>
      <List
        size="small"
        dataSource={shown}
        renderItem={(it) => {
          const m = meta.get(it.id)!;
          const missing = it.missing ?? [];
          const text = texts.get(it.id);
          return (
            <List.Item key={it.id} style={{ display: 'block' }} data-testid="sc-why-item">
              <Space size={6} wrap>
                {it.granted ? <Yes /> : missing.length ? <QuestionCircleTwoTone twoToneColor="#faad14" /> : <No />}
                <Typography.Text strong>
                  {numbers.get(it.id) ?? m.no}. {m.name}
                </Typography.Text>
                {it.granted && text && text !== m.name && <Typography.Text type="secondary">{text}</Typography.Text>}
                {!it.granted && missing.length > 0 && <Tag color="gold">{t('sc.verify')}</Tag>}
              </Space>
              <div style={{ marginTop: 4 }}>
                <Typography.Text type="secondary" style={{ fontSize: 16 }}>
                  {t('sc.forWhom')}
                </Typography.Text>
                <Typography.Text style={{ fontSize: 17 }}>{locale === 'en' ? m.sentence.en : m.sentence.zh}</Typography.Text>
              </div>
              {!it.granted && missing.length > 0 && (
                <Typography.Text type="warning" style={{ fontSize: 16 }}>
                  {t('ent.verifyWhy', { facts: missingLabels(missing, locale) })}
                </Typography.Text>
              )}
              {!it.granted && it.excludedBy && (
                <Typography.Text type="warning" style={{ fontSize: 16 }}>
                  {t('ent.excludedBy', { name: name(it.excludedBy) })}
                </Typography.Text>
              )}
              {!it.granted && it.zero && (
                <Typography.Text type="secondary" style={{ fontSize: 16 }}>
                  {t('ent.zero')}
                </Typography.Text>
              )}
              {!it.granted && !it.schedule.fires && (
                <Typography.Text type="secondary" style={{ fontSize: 16 }}>
                  {t('sc.notThisMonth')}
                </Typography.Text>
              )}
            </List.Item>
          );
        }}
      />
    </div>
  );
}
