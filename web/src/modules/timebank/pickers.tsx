import { useState } from 'react';
import { Select } from 'antd';
import { useI18n } from '../../shared/i18n-core';
import { usePersonSearch } from './api';

/** A register person found by name prefix or full resident ID (the register's search: audited, in scope). */
export function PersonPicker({ value, onChange, testId }: { value?: number; onChange?: (id: number | undefined, label?: string) => void; testId: string }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const found = usePersonSearch(q, true);
  return (
    <Select<number>
      showSearch
      allowClear
      value={value}
      placeholder={t('tb.pickPerson')}
      filterOption={false}
      onSearch={setQ}
      loading={found.isFetching}
      notFoundContent={found.error ? found.error.message : undefined}
      onChange={(id, option) => onChange?.(id, (option as { title?: string } | undefined)?.title)}
      options={(found.data?.items ?? []).map((p) => ({
        value: p.id,
        title: p.name,
        label: `${p.name} · ${p.idMasked} · ${p.regionName}`,
      }))}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}
