/** Instants come as UTC ISO strings; people read them in Asia/Shanghai. */
const fmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export function shanghaiTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = Object.fromEntries(fmt.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}:${parts.second}`;
}

/**
 * Today's civil date in Asia/Shanghai, whatever the device's own time zone: the day the server
 * counts in (a browser set to UTC is still on yesterday for the first eight hours of a Beijing day).
 */
export function shanghaiToday(at: Date = new Date()): string {
  return shanghaiTime(at.toISOString()).slice(0, 10);
}

export function dash(v: string | number | null | undefined): string {
  return v === null || v === undefined || v === '' ? '—' : String(v);
}

/** Money comes from the API as integer fen; people read yuan with two decimals: 1234 → "12.34". */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || Number.isNaN(fen)) return '—';
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(Math.round(fen));
  return `${sign}${Math.floor(a / 100).toLocaleString('en-US')}.${String(a % 100).padStart(2, '0')}`;
}

/** The current month as 'YYYY-MM' in Asia/Shanghai (the server's calendar). */
export function currentPeriod(at: Date = new Date()): string {
  return shanghaiTime(at.toISOString()).slice(0, 7);
}
