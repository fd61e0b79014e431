import { useEffect, useRef, useState } from 'react';
import { Button, Space } from 'antd';
import SignaturePad from 'signature_pad';
import { useI18n } from '../../i18n';

/**
 * A signature drawn on the screen with a finger or a stylus (signature_pad), kept as a PNG data URL.
 * Shown as the image once kept; 重写 clears it. The canvas keeps its pixels at the device's ratio.
 */
export function SignatureField({ value, onChange, testid }: { value: string | null; onChange: (png: string | null) => void; testid: string }) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad | null>(null);
  const [drawn, setDrawn] = useState(false);

  useEffect(() => {
    if (value || !canvas.current) return;
    const c = canvas.current;
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    c.width = c.offsetWidth * ratio || 600;
    c.height = c.offsetHeight * ratio || 200;
    c.getContext('2d')?.scale(ratio, ratio);
    let p: SignaturePad;
    try {
      p = new SignaturePad(c, { minWidth: 1, maxWidth: 3, backgroundColor: 'rgb(255,255,255)' });
    } catch {
      return; // no canvas (tests)
    }
    pad.current = p;
    const end = () => setDrawn(!p.isEmpty());
    p.addEventListener('endStroke', end);
    return () => {
      p.removeEventListener('endStroke', end);
      p.off();
      pad.current = null;
    };
  }, [value]);

  if (value)
    return (
      <div data-testid={testid} data-signed="true">
        <img src={value} alt={t('af.sign.done')} style={{ maxWidth: '100%', height: 120, border: '1px solid #d9d9d9', borderRadius: 8, background: '#fff' }} />
        <div>
          <Button onClick={() => onChange(null)} size="large" style={{ marginTop: 8 }}>
            {t('af.sign.clear')}
          </Button>
        </div>
      </div>
    );
  return (
    <div data-testid={testid} data-signed="false">
      <canvas
        ref={canvas}
        aria-label={t('af.sign.here')}
        style={{
          width: '100%',
          maxWidth: 640,
          height: 200,
          border: '2px dashed #bfbfbf',
          borderRadius: 8,
          touchAction: 'none',
          background: '#fff',
          display: 'block',
        }}
      />
      <Space style={{ marginTop: 8 }}>
        <Button
          size="large"
          onClick={() => {
            pad.current?.clear();
            setDrawn(false);
          }}
        >
          {t('af.sign.clear')}
        </Button>
        <Button
          size="large"
          type="primary"
          disabled={!drawn}
          data-testid={`${testid}-keep`}
          onClick={() => pad.current && onChange(pad.current.toDataURL('image/png'))}
        >
          {t('af.sign.keep')}
        </Button>
      </Space>
    </div>
  );
}
