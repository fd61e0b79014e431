import { Select } from 'antd';
import { useState } from 'react';
import type { PersonRow } from '../../shared/api';
import { useI18n, type I18n } from '../../shared/i18n-core';
import { label } from '../alarms/queue';
import { usePersonSearch } from '../timebank/api';

/**
 * A person in a picker: name, sex, age (周岁, as the register's search computes it) and village —
 * five people of one name in a county are not told apart by village alone. Not the ID: its mask
 * shows only the region of issue (platform/mask.ts), the same for everyone of a county.
 */
export function personOption(t: I18n['t'], p: Pick<PersonRow, 'name' | 'sex' | 'age' | 'regionName'>): string {
  return [p.name, label(t, 'sex', p.sex), t('hl.pick.age', { n: p.age }), p.regionName].filter((part) => part !== '').join(' · ');
}

/**
 * The register person a call or a device is for, found by name prefix or full resident ID (the
 * register's search: audited, in the viewer's scope), each shown with sex, age and village.
 */
export function PersonPicker({ value, onChange, testId }: { value?: number; onChange?: (id: number | undefined) => void; testId: string }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const found = usePersonSearch(q, true);
  return (
    <Select<number>
      showSearch
      allowClear
      value={value}
      placeholder={t('hl.pick.placeholder')}
      filterOption={false}
      onSearch={setQ}
      loading={found.isFetching}
      notFoundContent={found.error ? found.error.message : undefined}
      onChange={(id) => onChange?.(id)}
      options={(found.data?.items ?? []).map((p) => {
        const text = personOption(t, p);
        return { value: p.id, title: text, label: text };
      })}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}
