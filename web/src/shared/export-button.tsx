import { useState } from 'react';
import { App, Button, Dropdown, type ButtonProps } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { ApiError } from './api';
import { getLocale, useI18n } from './i18n-core';

/** The file name a download's content-disposition gives (its UTF-8 form first). */
function fileNameOf(disposition: string | null, fallback: string): string {
  const star = disposition && /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1]!);
  const plain = disposition && /filename="([^"]+)"/i.exec(disposition);
  return plain ? plain[1]! : fallback;
}

/** Downloads `path` with the session; an error answer is thrown as the API's error, in the viewer's language. */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const res = await fetch(path, { credentials: 'same-origin', headers: { 'Accept-Language': getLocale() } });
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
    throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileNameOf(res.headers.get('content-disposition'), fallbackName);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface ExportButtonProps {
  /** the export's URL with the list's filter (without `full`) */
  url: string;
  /** the file name when the server gives none */
  fileName: string;
  /** offer the export with full IDs (roles that may reveal); it asks first and is audited */
  full?: boolean;
  testId: string;
}

/**
 * 导出 XLSX for any list: masked by default; roles that may reveal also get 导出（含完整证件号）,
 * confirmed first. The server refuses what the role may not do and records every export.
 */
export function ExportButton({ url, fileName, full, testId }: ExportButtonProps) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async (withFull: boolean) => {
    setBusy(true);
    try {
      await downloadFile(withFull ? `${url}${url.includes('?') ? '&' : '?'}full=true` : url, fileName);
      message.success(t('export.done'));
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const askFull = () =>
    modal.confirm({
      title: t('export.fullTitle'),
      content: t('export.fullHint'),
      okText: t('export.fullOk'),
      okButtonProps: { 'data-testid': `${testId}-confirm` } as ButtonProps,
      onOk: () => run(true),
    });
  if (!full)
    return (
      <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void run(false)} data-testid={testId}>
        {t('export.xlsx')}
      </Button>
    );
  return (
    <Dropdown.Button
      loading={busy}
      onClick={() => void run(false)}
      menu={{ items: [{ key: 'full', label: <span data-testid={`${testId}-full`}>{t('export.full')}</span> }], onClick: askFull }}
      data-testid={testId}
    >
      <DownloadOutlined /> {t('export.xlsx')}
    </Dropdown.Button>
  );
}
