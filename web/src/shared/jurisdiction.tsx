import { useQuery } from '@tanstack/react-query';
import { Select, Space, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import type { Jurisdictions } from '../modules/entitlements/types';
import { get } from './api';
import { useI18n } from './i18n-core';

/** The jurisdictions the viewer works with that run a catalogue: their county's, a city's and, for a city officer, its counties. */
export function useJurisdictions(enabled = true) {
  return useQuery({ queryKey: ['jurisdictions'], queryFn: () => get<Jurisdictions>('/api/jurisdictions'), enabled, staleTime: 60_000 });
}

/** The jurisdiction a page is about, kept in its address (?jurisdiction=); '' for the viewer's own. */
export function useJurisdictionParam(): [string, (code: string) => void] {
  const [params, setParams] = useSearchParams();
  const value = params.get('jurisdiction') ?? '';
  const set = (code: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (code) next.set('jurisdiction', code);
        else next.delete('jurisdiction');
        return next;
      },
      { replace: true },
    );
  return [value, set];
}

/**
 * Which county (or city) a page shows, for a viewer who works with several (a city officer): each
 * named with the catalogue it runs. Nothing is shown to a viewer who works with one.
 */
export function JurisdictionPicker({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  const { t } = useI18n();
  const list = useJurisdictions();
  const items = list.data?.items ?? [];
  if (items.length < 2) return null;
  return (
    <Space wrap style={{ marginBottom: 12 }}>
      <Typography.Text>{t('jurisdiction.pick')}</Typography.Text>
      <Select
        data-testid="jurisdiction-picker"
        style={{ minWidth: 260, maxWidth: '100%' }}
        value={value || items[0]!.code}
        onChange={onChange}
        options={items.map((j) => ({
          value: j.code,
          label: (
            <span>
              {j.name}
              <Typography.Text type="secondary">
                {' '}
                · {j.title ?? j.catalogue}
                {j.partial && <Tag style={{ marginInlineStart: 6 }}>{t('catalogue.partial')}</Tag>}
              </Typography.Text>
            </span>
          ),
        }))}
      />
    </Space>
  );
}
