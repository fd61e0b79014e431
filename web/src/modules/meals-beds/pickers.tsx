import { useState, type CSSProperties, type ReactNode } from 'react';
import { Button, Form, Input, Select } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { shanghaiToday } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { usePersonSearch, useProviders } from './api';

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
      placeholder={t('mb.beds.pickPerson')}
      filterOption={false}
      onSearch={setQ}
      loading={found.isFetching}
      notFoundContent={found.error ? found.error.message : undefined}
      onChange={(id, option) => onChange?.(id, (option as { title?: string } | undefined)?.title)}
      options={(found.data?.items ?? []).map((p) => ({ value: p.id, title: p.name, label: `${p.name} · ${p.idMasked} · ${p.regionName}` }))}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}

/** The active providers the viewer may pick (a provider's staff: their own only). */
export function ProviderSelect({
  value,
  onChange,
  testId,
  allowClear,
  placeholder,
  style,
}: {
  value?: number;
  onChange?: (id: number | undefined) => void;
  testId: string;
  allowClear?: boolean;
  placeholder?: string;
  style?: CSSProperties;
}) {
  const providers = useProviders();
  return (
    <Select<number>
      showSearch
      allowClear={allowClear}
      value={value}
      placeholder={placeholder}
      optionFilterProp="label"
      onChange={(v) => onChange?.(v)}
      loading={providers.isFetching}
      options={(providers.data ?? []).filter((p) => p.active).map((p) => ({ value: p.id, label: p.name }))}
      style={{ width: '100%', ...style }}
      data-testid={testId}
    />
  );
}

/** A civil date input (YYYY-MM-DD, the browser's date picker), no later than today (Beijing). */
export function DateInput({ value, onChange, testId }: { value?: string; onChange?: (v: string) => void; testId: string }) {
  return <Input type="date" value={value} max={shanghaiToday()} onChange={(e) => onChange?.(e.target.value)} data-testid={testId} />;
}

/** Rows of two or three fields (adaptation done, devices installed), added and removed; they wrap on a phone. */
export function RowsEditor({
  name,
  label,
  fields,
  testId,
}: {
  name: string;
  label: string;
  /** input: the field's own input (given the value and onChange by the form), else a text box or a date */
  fields: { name: string; placeholder: string; date?: boolean; width: number; input?: (testId: string) => ReactNode }[];
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <Form.Item label={label}>
      <Form.List name={name}>
        {(rows, { add, remove }) => (
          <div data-testid={testId} style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
            {rows.map((row) => (
              <div key={row.key} style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'flex-start' }}>
                {fields.map((f) => (
                  <Form.Item
                    key={f.name}
                    name={[row.name, f.name]}
                    rules={[{ required: true, message: t('mb.required') }]}
                    style={{ margin: 0, flex: `1 1 ${f.width}px`, minWidth: Math.min(f.width, 140) }}
                  >
                    {f.input ? (
                      f.input(`${testId}-${row.name}-${f.name}`)
                    ) : f.date ? (
                      <DateInput testId={`${testId}-${row.name}-${f.name}`} />
                    ) : (
                      <Input placeholder={f.placeholder} maxLength={60} data-testid={`${testId}-${row.name}-${f.name}`} />
                    )}
                  </Form.Item>
                ))}
                <Button aria-label={t('mb.remove')} icon={<DeleteOutlined />} onClick={() => remove(row.name)} />
              </div>
            ))}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add(Object.fromEntries(fields.map((f) => [f.name, f.date ? shanghaiToday() : ''])))}
              data-testid={`${testId}-add`}
              style={{ alignSelf: 'flex-start' }}
            >
              {t('mb.add')}
            </Button>
          </div>
        )}
      </Form.List>
    </Form.Item>
  );
}
