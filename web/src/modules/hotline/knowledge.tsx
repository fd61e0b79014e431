import { useState } from 'react';
import { Alert, App, Button, Checkbox, Drawer, Form, Grid, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useAuth } from '../../shared/auth';
import { shanghaiTime } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { showServerError } from '../alarm-devices/form-errors';
import { useSaveArticle } from './api';
import { KnowledgeSearch } from './knowledge-search';
import type { ArticleView } from './types';

interface ArticleForm {
  title: string;
  body: string;
  keywords: string[];
  itemId?: string;
  active: boolean;
}
const ARTICLE_FIELDS = ['title', 'body', 'keywords', 'itemId', 'active'] as const;

/** 新增 / 修改知识条目 (hotline.knowledge): title, the answer, keywords, the catalogue item it is about. */
export function ArticleDialog({ article, onClose }: { article: ArticleView | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ArticleForm>();
  const [error, setError] = useState<string | null>(null);
  const save = useSaveArticle();
  const submit = async (v: ArticleForm) => {
    setError(null);
    const keywords = v.keywords.map((k) => k.trim()).filter(Boolean);
    const itemId = v.itemId?.trim() || null;
    try {
      const saved = await save.mutateAsync(
        article
          ? { id: article.id, body: { title: v.title.trim(), body: v.body.trim(), keywords, itemId, active: v.active } }
          : { id: null, body: { title: v.title.trim(), body: v.body.trim(), keywords, itemId } },
      );
      message.success(t('hl.kb.saved', { title: saved.title }));
      onClose();
    } catch (e) {
      setError(showServerError(form, e, ARTICLE_FIELDS, { HOTLINE_ARTICLE_ITEM_UNKNOWN: 'itemId' }));
    }
  };
  return (
    <Modal
      open
      width={640}
      title={article ? t('hl.kb.edit') : t('hl.kb.new')}
      okText={t('hl.save')}
      cancelText={t('hl.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'hl-article-ok' }}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="hl-article-error" />}
      <Form<ArticleForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={
          article
            ? { title: article.title, body: article.body, keywords: article.keywords, itemId: article.itemId ?? undefined, active: article.active }
            : { keywords: [], active: true }
        }
        onFinish={(v) => void submit(v)}
      >
        <Form.Item
          name="title"
          label={t('hl.kb.titleField')}
          rules={[
            { required: true, whitespace: true, message: t('hl.required', { field: t('hl.kb.titleField') }) },
            { max: 120, message: t('hl.tooLong', { n: 120 }) },
          ]}
        >
          <Input data-testid="hl-article-title" />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('hl.kb.body')}
          rules={[
            { required: true, whitespace: true, message: t('hl.required', { field: t('hl.kb.body') }) },
            { max: 5000, message: t('hl.tooLong', { n: 5000 }) },
          ]}
        >
          <Input.TextArea rows={8} data-testid="hl-article-body" />
        </Form.Item>
        <Form.Item
          name="keywords"
          label={t('hl.kb.keywords')}
          extra={t('hl.kb.keywordsHint')}
          rules={[
            {
              validator: (_, v: string[] | undefined) =>
                (v ?? []).some((k) => k.trim().length > 30) ? Promise.reject(new Error(t('hl.kb.keywordTooLong'))) : Promise.resolve(),
            },
          ]}
        >
          <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} data-testid="hl-article-keywords" />
        </Form.Item>
        <Form.Item name="itemId" label={t('hl.kb.itemId')} extra={t('hl.kb.itemIdHint')} rules={[{ max: 20, message: t('hl.tooLong', { n: 20 }) }]}>
          <Input data-testid="hl-article-item" />
        </Form.Item>
        {article && (
          <Form.Item name="active" valuePropName="checked">
            <Checkbox data-testid="hl-article-active">{t('hl.kb.activeField')}</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** 热线知识库: search the answers and the catalogue's items, read one; supervisors add and edit. */
export function KnowledgePage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const wide = Grid.useBreakpoint().md === true;
  const keeper = can('hotline.knowledge');
  const [reading, setReading] = useState<ArticleView | null>(null);
  const [editing, setEditing] = useState<ArticleView | 'new' | null>(null);
  return (
    <div data-testid="hl-knowledge-page">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.hlKnowledge')}
        </Typography.Title>
        {keeper && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="hl-article-new">
            {t('hl.kb.new')}
          </Button>
        )}
      </div>
      <Typography.Paragraph type="secondary">{t('hl.kb.intro')}</Typography.Paragraph>
      <KnowledgeSearch testId="hl-kb" onOpenArticle={setReading} inactive={keeper} />
      <Drawer open={reading !== null} onClose={() => setReading(null)} width={wide ? 560 : '100%'} title={reading?.title} destroyOnHidden>
        {reading && (
          <div data-testid="hl-article">
            <Space wrap style={{ marginBottom: 8 }}>
              {reading.keywords.map((k) => (
                <Tag key={k}>{k}</Tag>
              ))}
              {reading.itemName && <Tag color="blue">{reading.itemName}</Tag>}
              {!reading.active && <Tag>{t('hl.kb.withdrawn')}</Tag>}
            </Space>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{reading.body}</Typography.Paragraph>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('hl.kb.updated', { at: shanghaiTime(reading.updatedAt) })}
            </Typography.Text>
            {keeper && (
              <div style={{ marginTop: 12 }}>
                <Button
                  onClick={() => {
                    setEditing(reading);
                    setReading(null);
                  }}
                  data-testid="hl-article-edit"
                >
                  {t('hl.kb.edit')}
                </Button>
              </div>
            )}
          </div>
        )}
      </Drawer>
      {editing && <ArticleDialog article={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}
