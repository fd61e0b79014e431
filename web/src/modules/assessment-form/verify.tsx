import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Input, Space, Spin, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { LangSwitch } from '../../shared/lang-switch';
import { useVerify } from './api';
import { CURRENT_VERSION, levelName } from './instrument';

const { Paragraph, Title } = Typography;

/**
 * /verify (public, no session): anyone holding a printed report enters its code (or opens the
 * address printed beside it) and reads whether the platform issued it and whether it still holds —
 * the masked name, the date, the level, and nothing more. Phone-friendly.
 */
export function VerifyPage() {
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const code = (params.get('code') ?? '').trim();
  const [input, setInput] = useState(code);
  const query = useVerify(code);
  const r = query.data;
  return (
    <div style={{ minHeight: '100vh', background: '#f5f1eb', padding: 16, boxSizing: 'border-box' }} data-testid="af-verify-page">
      <Card style={{ maxWidth: 520, margin: '0 auto' }}>
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} align="start">
          <Title level={4} style={{ margin: 0 }}>
            {t('af.title.verify')}
          </Title>
          <LangSwitch size="small" />
        </Space>
        <Paragraph type="secondary">{t('af.verify.intro')}</Paragraph>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setParams(input.trim() ? { code: input.trim() } : {});
          }}
        >
          <Space.Compact style={{ width: '100%' }}>
            <Input
              size="large"
              aria-label={t('af.verify.code')}
              placeholder={t('af.verify.code')}
              value={input}
              maxLength={20}
              onChange={(e) => setInput(e.target.value.toUpperCase())}
              data-testid="af-verify-input"
            />
            <Button size="large" type="primary" htmlType="submit" data-testid="af-verify-submit">
              {t('af.verify.check')}
            </Button>
          </Space.Compact>
        </form>
        <div style={{ marginTop: 16 }} data-testid="af-verify-result">
          {query.isFetching && <Spin />}
          {query.error && <Alert type="error" showIcon message={query.error.message} />}
          {r && !r.found && <Alert type="warning" showIcon message={t('af.verify.notFound')} />}
          {r && r.found && (
            <>
              <Alert
                type={r.state === 'current' ? 'success' : 'warning'}
                showIcon
                message={t('af.verify.found')}
                description={r.state ? t(`af.verify.state.${r.state}`) : undefined}
                style={{ marginBottom: 12 }}
              />
              <Descriptions column={1} size="small" bordered>
                <Descriptions.Item label={t('af.verify.name')}>{r.nameMasked ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('af.verify.date')}>{r.referenceDate ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('af.verify.level')}>
                  <b data-testid="af-verify-level">{levelName(CURRENT_VERSION, r.finalLevel, locale)}</b>
                </Descriptions.Item>
                <Descriptions.Item label={t('af.verify.validUntil')}>{r.validUntil ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('af.report.instrument')}>{r.instrument ?? '—'}</Descriptions.Item>
              </Descriptions>
            </>
          )}
        </div>
      </Card>
    </div>
  );
}
