import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { useFacility } from './api';
import { BedsCard } from './beds';
import { FacilityForm } from './facility-form';
import { gradeWords } from './list';
import { ResidentsCard } from './residents';
import { StaffCard } from './staff';
import type { CheckView } from './types';

const STATUS_COLOR = { pass: 'green', fail: 'red', not_applicable: 'default' } as const;

/** The checks with their status, figures and rule, in the viewer's language. */
export function ChecksCard({ on, items }: { on: string; items: CheckView[] }) {
  const { t, locale } = useI18n();
  const w = (x: { zh: string; en: string }) => (locale === 'en' ? x.en : x.zh);
  return (
    <Card size="small" title={t('fac.checks.title', { on })} data-testid="fac-checks" style={{ marginBottom: 12 }}>
      {items.map((c) => (
        <div key={c.key} data-testid={`fac-check-${c.key}`} data-status={c.status} style={{ padding: '8px 0', borderBottom: '1px solid #f0f0f0' }}>
          <Space wrap>
            <Typography.Text strong>{t(`fac.check.${c.key}` as MessageKey)}</Typography.Text>
            <Tag color={STATUS_COLOR[c.status]} data-testid={`fac-check-${c.key}-status`}>
              {t(`fac.check.${c.status}` as MessageKey)}
            </Tag>
          </Space>
          <div data-testid={`fac-check-${c.key}-figures`}>{w(c.figures)}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('fac.checks.rule')}：{w(c.rule)}
          </Typography.Text>
        </div>
      ))}
    </Card>
  );
}

/** 设施详情: the facility, its checks, beds with occupancy, staff roster and residents. */
export function FacilityPage() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const id = Number(useParams().id);
  const q = useFacility(id);
  const [editing, setEditing] = useState(false);
  if (q.error) return <Alert type="error" showIcon message={q.error.message} />;
  if (!q.data) return <Card loading />;
  const { facility: f, beds, checks } = q.data;
  const yes = (b: boolean) => t(b ? 'fac.detail.yes' : 'fac.detail.no');
  return (
    <div data-testid="fac-page">
      <Space style={{ marginBottom: 8 }} wrap>
        <Link to="/facilities">{t('fac.detail.back')}</Link>
      </Space>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="fac-name">
          {f.name}
        </Typography.Title>
        {can('facilities.manage') && <Button onClick={() => setEditing(true)}>{t('fac.edit')}</Button>}
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('fac.col.kind')}>{t(`fac.kind.${f.kind}` as MessageKey)}</Descriptions.Item>
          <Descriptions.Item label={t('fac.col.ownership')}>{t(`fac.own.${f.ownership}` as MessageKey)}</Descriptions.Item>
          <Descriptions.Item label={t('fac.col.grade')}>{gradeWords(f, locale, t('fac.grade.none'))}</Descriptions.Item>
          <Descriptions.Item label={t('fac.col.region')}>{f.regionName}</Descriptions.Item>
          <Descriptions.Item label={t('fac.detail.address')}>{f.address}</Descriptions.Item>
          <Descriptions.Item label={t('fac.detail.location')}>
            {f.lat !== null && f.lng !== null && f.gcj
              ? t('fac.detail.locationValue', { lat: f.lat, lng: f.lng, glat: f.gcj.lat, glng: f.gcj.lng })
              : t('fac.detail.noLocation')}
          </Descriptions.Item>
          <Descriptions.Item label={t('fac.detail.governmentWork')}>{yes(f.governmentWork)}</Descriptions.Item>
          <Descriptions.Item label={t('fac.detail.hardshipHome')}>{yes(f.hardshipHome)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <ChecksCard on={checks.on} items={checks.items} />
      <BedsCard facility={f} beds={beds} />
      <StaffCard facilityId={f.id} />
      {can('facilities.residents') && <ResidentsCard facility={f} beds={beds} />}
      {editing && <FacilityForm facility={f} onClose={() => setEditing(false)} />}
    </div>
  );
}
