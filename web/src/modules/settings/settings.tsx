import { useState } from 'react';
import { Alert, App, Button, Card, Form, Grid, Input, List, Modal, Select, Space, Table, Tag, Tooltip, Typography, type ButtonProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { SettingsReply } from '../../../../src/modules/settings/settings.schema';
import { shanghaiTime } from '../../shared/format';
import { actorName } from '../../shared/labels';
import { useI18n, type I18n } from '../../shared/i18n-core';
import { useSaveSetting, useSettings } from './api';
import { useJurisdictionParam } from '../../shared/jurisdiction';

type Setting = SettingsReply['items'][number];

function show(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/** A setting whose value is a structure (the visit plans, the assessment schedule): edited as indented JSON. */
const structured = (s: Setting) => s.value !== null && typeof s.value === 'object';

/**
 * A structured value in a line, in the viewer's words: a list, or a structure holding one list
 * (the alarm rules, the paused items), as its count of entries ("8 项"); any other structure as its
 * count of parameters ("13 项参数"). The fields' own names are the file's, never shown here: the
 * tooltip and the adjust dialog show the whole value.
 */
function summary(v: unknown, t: I18n['t']): string {
  if (Array.isArray(v)) return t('settings.count', { n: v.length });
  if (v === null || typeof v !== 'object') return String(v);
  const entries = Object.values(v);
  if (entries.length === 1 && Array.isArray(entries[0])) return t('settings.count', { n: entries[0].length });
  return t('settings.parts', { n: entries.length });
}

/** A value as the viewer reads it: the label of its choice where the setting is one of a list. */
function shown(s: Setting, v: unknown, locale: string): string {
  const choice = s.choices?.find((c) => show(c.value) === show(v));
  return choice ? (locale === 'en' ? choice.label.en : choice.label.zh) : show(v);
}

function AdjustSetting({ setting, jurisdiction, onClose, onSaved }: { setting: Setting; jurisdiction: string; onClose: () => void; onSaved: () => void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ value: string; note: string }>();
  const saving = useSaveSetting();
  const label = locale === 'en' ? setting.label.en : setting.label.zh;
  const save = (v: { value: string; note: string }) => {
    // a new attempt: the server's answer to the last one no longer stands
    saving.reset();
    let value: unknown = typeof setting.value === 'number' ? Number(v.value) : v.value;
    if (structured(setting)) {
      try {
        value = JSON.parse(v.value);
      } catch {
        // our own words: the engine's message ("Unexpected end of JSON input") is English whatever the language
        form.setFields([{ name: 'value', errors: [t('settings.badJson')] }]);
        return;
      }
    }
    saving.mutate(
      { name: setting.name, value, note: v.note, jurisdiction },
      {
        onSuccess: () => {
          message.success(t('settings.saved', { label }));
          onSaved();
        },
      },
    );
  };
  const error = saving.error?.message ?? null;
  const busy = saving.isPending;
  return (
    <Modal
      open
      width={structured(setting) ? 760 : undefined}
      title={t('settings.adjustTitle', { label })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'setting-save' } as ButtonProps}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="setting-error" />}
      <Typography.Paragraph type="secondary">{locale === 'en' ? setting.description.en : setting.description.zh}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        onValuesChange={() => {
          if (saving.error) saving.reset();
        }}
        initialValues={{ value: structured(setting) ? JSON.stringify(setting.value, null, 2) : show(setting.value), note: '' }}
      >
        <Form.Item name="value" label={t('settings.value')} rules={[{ required: true, message: t('common.required', { what: t('settings.value') }) }]}>
          {setting.choices ? (
            <Select
              options={setting.choices.map((c) => ({ value: show(c.value), label: locale === 'en' ? c.label.en : c.label.zh }))}
              data-testid="setting-value"
            />
          ) : structured(setting) ? (
            <Input.TextArea rows={16} spellCheck={false} style={{ fontFamily: 'monospace', fontSize: 12 }} data-testid="setting-value" />
          ) : (
            <Input data-testid="setting-value" />
          )}
        </Form.Item>
        <Form.Item
          name="note"
          label={t('settings.note')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { what: t('settings.note') }) }]}
        >
          <Input.TextArea rows={2} maxLength={500} data-testid="setting-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 系统设置: the jurisdiction's settings, each with who set it, when and why. */
export function SettingsPage() {
  const { t, locale } = useI18n();
  // a city's administrator manages the city's settings and, below them, each county's
  const [jurisdiction, setJurisdiction] = useJurisdictionParam();
  const settings = useSettings(jurisdiction);
  const data = settings.data ?? null;
  const error = settings.error?.message ?? null;
  const [editing, setEditing] = useState<Setting | null>(null);
  // a phone: one card a setting (the table's description column had a few pixels at 390 px)
  const phone = Grid.useBreakpoint().xs === true;

  const valueCell = (s: Setting) => (
    <>
      {structured(s) ? (
        <Tooltip
          title={<pre style={{ margin: 0, maxHeight: 360, overflow: 'auto', fontSize: 12 }}>{JSON.stringify(s.value, null, 2)}</pre>}
          styles={{ root: { maxWidth: 520 } }}
        >
          <span
            data-testid={`setting-value-${s.name}`}
            style={{ display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', cursor: 'help' }}
          >
            {summary(s.value, t)}
          </span>
        </Tooltip>
      ) : (
        <span data-testid={`setting-value-${s.name}`}>{shown(s, s.value, locale)}</span>
      )}{' '}
      {s.inheritedFrom ? (
        <Tag color="blue" data-testid={`setting-inherited-${s.name}`}>
          {t('settings.inherited', { from: s.inheritedFrom.name })}
        </Tag>
      ) : (
        s.isInitial && <Tag>{t('settings.initial')}</Tag>
      )}
    </>
  );
  const setBy = (s: Setting) => (s.setBy ? `${actorName(s.setBy, locale)} ${shanghaiTime(s.setAt).slice(0, 16)}` : '—');

  const columns: ColumnsType<Setting> = [
    { title: t('settings.name'), key: 'label', width: 160, render: (_, s) => (locale === 'en' ? s.label.en : s.label.zh) },
    { title: t('settings.value'), key: 'value', width: 240, render: (_, s) => valueCell(s) },
    { title: t('settings.description'), key: 'description', width: 360, render: (_, s) => (locale === 'en' ? s.description.en : s.description.zh) },
    { title: t('settings.setBy'), key: 'setBy', width: 200, render: (_, s) => setBy(s) },
    { title: t('settings.note'), dataIndex: 'note', width: 200, render: (v: string | null) => v ?? '—' },
    {
      title: '',
      key: 'edit',
      width: 80,
      fixed: 'right',
      render: (_, s) => (
        <Button size="small" onClick={() => setEditing(s)} data-testid={`setting-edit-${s.name}`}>
          {t('settings.adjust')}
        </Button>
      ),
    },
  ];
  return (
    <div data-testid="settings-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.settings')}
      </Typography.Title>
      {data && data.jurisdictions.length > 1 && (
        <Space wrap style={{ marginBottom: 12 }}>
          <Typography.Text>{t('settings.jurisdiction')}</Typography.Text>
          <Select
            data-testid="settings-jurisdiction"
            style={{ minWidth: 220 }}
            value={data.jurisdiction.code}
            onChange={setJurisdiction}
            options={data.jurisdictions.map((j) => ({ value: j.code, label: j.name }))}
          />
        </Space>
      )}
      {data && <Typography.Paragraph type="secondary">{t('settings.hint', { jurisdiction: data.jurisdiction.name })}</Typography.Paragraph>}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      {phone ? (
        <List<Setting>
          dataSource={data?.items ?? []}
          loading={!data && !error}
          className="settings-cards"
          renderItem={(s) => (
            <Card size="small" style={{ marginBottom: 12 }} data-testid={`setting-card-${s.name}`}>
              <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 8, marginBottom: 4 }}>
                <Typography.Text strong style={{ fontSize: 16 }}>
                  {locale === 'en' ? s.label.en : s.label.zh}
                </Typography.Text>
                <Button size="small" onClick={() => setEditing(s)} data-testid={`setting-edit-${s.name}`}>
                  {t('settings.adjust')}
                </Button>
              </div>
              <div style={{ marginBottom: 4 }}>{valueCell(s)}</div>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
                {locale === 'en' ? s.description.en : s.description.zh}
              </Typography.Paragraph>
              {s.setBy && (
                <Typography.Text type="secondary">
                  {t('settings.setBy')}: {setBy(s)}
                  {s.note ? ` · ${s.note}` : ''}
                </Typography.Text>
              )}
            </Card>
          )}
        />
      ) : (
        <Table<Setting>
          rowKey="name"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={!data && !error}
          pagination={false}
          scroll={{ x: 1240 }}
        />
      )}
      {editing && (
        <AdjustSetting setting={editing} jurisdiction={data?.jurisdiction.code ?? ''} onClose={() => setEditing(null)} onSaved={() => setEditing(null)} />
      )}
    </div>
  );
}
