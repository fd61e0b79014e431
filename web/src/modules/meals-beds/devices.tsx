import { AutoComplete } from 'antd';
import { useI18n } from '../../shared/i18n-core';

/**
 * The kinds of device a family care bed usually has, by the code the server keeps (the demo writes
 * 'mattress' and 'sos_button'), with their words in Chinese and English. A kind typed that is none
 * of these is kept as typed and shown as it is (free text, e.g. 助听器).
 */
export const DEVICE_KINDS: Record<string, { zh: string; en: string }> = {
  mattress: { zh: '智能床垫', en: 'Smart mattress' },
  sos_button: { zh: '紧急呼叫按钮', en: 'Emergency call button' },
  door_sensor: { zh: '门磁', en: 'Door sensor' },
  smoke_detector: { zh: '烟感报警器', en: 'Smoke detector' },
  gas_detector: { zh: '燃气报警器', en: 'Gas detector' },
  water_sensor: { zh: '水浸报警器', en: 'Water leak sensor' },
  fall_detector: { zh: '跌倒报警器', en: 'Fall detector' },
  motion_sensor: { zh: '人体感应器', en: 'Motion sensor' },
  smart_band: { zh: '智能手环', en: 'Smart wristband' },
  camera: { zh: '看护摄像头', en: 'Care camera' },
  blood_pressure: { zh: '智能血压计', en: 'Blood pressure monitor' },
};

/** A device kind in words: the label of a known code, else what was typed. */
export function deviceKindLabel(kind: string, locale: string): string {
  const k = DEVICE_KINDS[kind];
  return k ? (locale === 'en' ? k.en : k.zh) : kind;
}

/** The code of a label typed or picked in either language; other text stays as it is. */
export function deviceKindCode(text: string): string {
  const typed = text.trim().toLowerCase();
  const found = Object.entries(DEVICE_KINDS).find(([code, w]) => code === typed || w.zh === text.trim() || w.en.toLowerCase() === typed);
  return found ? found[0] : text;
}

export function useDeviceKind() {
  const { locale } = useI18n();
  return (kind: string) => deviceKindLabel(kind, locale);
}

/** The kind of a device: picked from the usual ones (their words shown, their code kept) or typed. */
export function DeviceKindInput({
  value,
  onChange,
  placeholder,
  testId,
}: {
  value?: string;
  onChange?: (v: string) => void;
  placeholder: string;
  testId: string;
}) {
  const { locale } = useI18n();
  const options = Object.keys(DEVICE_KINDS).map((code) => ({ value: deviceKindLabel(code, locale) }));
  return (
    <AutoComplete
      value={value === undefined ? undefined : deviceKindLabel(value, locale)}
      options={options}
      placeholder={placeholder}
      filterOption={(input, option) =>
        String(option?.value ?? '')
          .toLowerCase()
          .includes(input.trim().toLowerCase())
      }
      onChange={(text: string) => onChange?.(deviceKindCode(text))}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}
