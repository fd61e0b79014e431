import { useState } from 'react';
import { Alert, Button, Empty, Input, List, Tag, Typography } from 'antd';
import { useI18n } from '../../shared/i18n-core';
import { useKnowledge } from './api';
import type { ArticleView, KnowledgeItem } from './types';

/** Shows an answer's or item's text, folded to a few lines until opened. */
function Body({ text }: { text: string }) {
  return (
    <Typography.Paragraph ellipsis={{ rows: 3, expandable: true, symbol: '…' }} style={{ marginBottom: 4, whiteSpace: 'pre-wrap' }}>
      {text}
    </Typography.Paragraph>
  );
}

/** A catalogue item as the operator reads it out: who, what, the conditions, where to apply. */
export function ItemText({ item }: { item: KnowledgeItem }) {
  const { t, pick } = useI18n();
  return (
    <div style={{ fontSize: 13 }}>
      <div>
        {t('hl.kb.target')}：{item.target}
      </div>
      <Body text={item.content} />
      <div>
        {t('hl.kb.conditions')}：{pick(item.conditions.zh, item.conditions.en)}
      </div>
      {item.amount && (
        <div>
          {t('hl.kb.amount')}：{pick(item.amount.zh, item.amount.en)}
        </div>
      )}
      {item.department && (
        <div>
          {t('hl.kb.department')}：{item.department}
        </div>
      )}
    </div>
  );
}

/**
 * The knowledge base's search box (GET /api/alarms/hotline/knowledge?q): answers and the catalogue's
 * items; with `onUse`, an answer can be taken as the one given on the call.
 */
export function KnowledgeSearch({
  onUse,
  usedId,
  testId = 'hl-kb',
  onOpenArticle,
  inactive = false,
}: {
  onUse?: (a: ArticleView) => void;
  usedId?: number;
  testId?: string;
  onOpenArticle?: (a: ArticleView) => void;
  inactive?: boolean;
}) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const found = useKnowledge(q, q.trim().length > 0 || !onUse, inactive);
  const articles = found.data?.articles ?? [];
  const items = found.data?.items ?? [];
  return (
    <div data-testid={testId}>
      <Input.Search
        allowClear
        placeholder={t('hl.kb.search')}
        onSearch={(v) => setQ(v)}
        enterButton={t('hl.kb.find')}
        loading={found.isFetching}
        data-testid={`${testId}-q`}
      />
      {found.error && <Alert type="error" showIcon message={found.error.message} style={{ marginTop: 8 }} />}
      {found.data && articles.length === 0 && items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('hl.kb.none')} />}
      {articles.length > 0 && (
        <List<ArticleView>
          size="small"
          header={<Typography.Text strong>{t('hl.kb.articles')}</Typography.Text>}
          dataSource={articles}
          data-testid={`${testId}-articles`}
          renderItem={(a) => (
            <List.Item
              key={a.id}
              actions={[
                onUse ? (
                  <Button key="use" size="small" type={usedId === a.id ? 'primary' : 'default'} onClick={() => onUse(a)} data-testid={`${testId}-use-${a.id}`}>
                    {usedId === a.id ? t('hl.kb.used') : t('hl.kb.use')}
                  </Button>
                ) : null,
              ].filter(Boolean)}
            >
              <div style={{ minWidth: 0, flex: 1 }}>
                <div>
                  {onOpenArticle ? (
                    <a onClick={() => onOpenArticle(a)} data-testid={`${testId}-open-${a.id}`}>
                      {a.title}
                    </a>
                  ) : (
                    <Typography.Text strong>{a.title}</Typography.Text>
                  )}{' '}
                  {!a.active && <Tag>{t('hl.kb.withdrawn')}</Tag>}
                  {a.itemName && <Tag color="blue">{a.itemName}</Tag>}
                </div>
                <Body text={a.body} />
              </div>
            </List.Item>
          )}
        />
      )}
      {items.length > 0 && (
        <List<KnowledgeItem>
          size="small"
          header={<Typography.Text strong>{t('hl.kb.items')}</Typography.Text>}
          dataSource={items}
          data-testid={`${testId}-items`}
          renderItem={(i) => (
            <List.Item key={i.id}>
              <div style={{ minWidth: 0, flex: 1 }}>
                <Typography.Text strong>
                  {i.no} {i.name}
                </Typography.Text>
                <ItemText item={i} />
              </div>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
