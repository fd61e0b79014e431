import { getLocale } from './i18n';

/** An error answer of the API: `{ error: { code, message, details } }`, message already localised. */
export class ApiError extends Error {
  readonly code: string;
  readonly details: unknown;
  readonly status: number;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler = () => {
  if (window.location.pathname !== '/login') window.location.assign('/login');
};
/** The app installs a handler that clears the session and routes to /login. */
export function setUnauthorizedHandler(h: UnauthorizedHandler): void {
  onUnauthorized = h;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** the login and session-probe calls handle 401 themselves */
  noAuthRedirect?: boolean;
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = (opts.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { 'Accept-Language': getLocale(), Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body; // the browser sets the multipart boundary
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', getLocale() === 'en' ? 'Cannot reach the server' : '无法连接服务器', String(e));
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const apiError = new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? (text || res.statusText || `HTTP ${res.status}`), err?.details);
    if (res.status === 401 && !opts.noAuthRedirect) onUnauthorized();
    throw apiError;
  }
  return data as T;
}

export const get = <T>(path: string) => request<T>(path);
export const post = <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body: body ?? {} });

/** Builds a query string, leaving out empty values. */
export function qs(params: Record<string, string | number | undefined | null | string[]>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) u.set(k, v.join(','));
    } else u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

// ---- the shapes of the API (see the contract in the brief / src routes) ----

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: string;
  regionCode: string;
  regionName: string;
}
export interface Session {
  user: User;
  actions: string[];
  csrfToken: string;
}
export interface Region {
  code: string;
  name: string;
  level: 'county' | 'town' | 'village' | string;
  kind: string;
  parentCode: string | null;
}
export type PersonStatus = 'active' | 'deceased' | 'moved_out';
/** What a list row and the profile both show of a person. */
export interface PersonBase {
  id: number;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  age: number;
  idMasked: string;
  phoneMasked: string | null;
  regionCode: string;
  status: PersonStatus;
  tags: string[];
}
export interface PersonRow extends PersonBase {
  regionName: string;
  townName: string;
}
export interface Page<T> {
  items: T[];
  total: number;
  page?: number;
  pageSize?: number;
}
export interface Attribute {
  field: string;
  label: string;
  labelEn: string;
  value: string | null;
  source: string;
  sourceLabel: string;
  sourceLabelEn: string;
  asOf: string;
}
export interface Conflict {
  id: number;
  personId?: number;
  personName?: string;
  regionName?: string;
  field: string;
  label: string;
  labelEn: string;
  currentValue: string | null;
  currentSource: string;
  currentSourceLabel: string;
  currentSourceLabelEn?: string;
  currentAsOf: string;
  incomingValue: string | null;
  incomingSource: string;
  incomingSourceLabel: string;
  incomingSourceLabelEn?: string;
  incomingAsOf: string;
  status: string;
}
export interface HistoryEntry {
  field: string;
  label: string;
  labelEn: string;
  oldValue: string | null;
  newValue: string | null;
  source: string;
  sourceLabel: string;
  sourceLabelEn?: string;
  asOf: string;
  at: string;
}
export interface AccessEntry {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  fields: string[] | null;
}
export interface PersonDetail {
  person: PersonBase & {
    regionPath: { code: string; name: string }[];
    closedOn: string | null;
  };
  attributes: Attribute[];
  conflicts: Conflict[];
  history: HistoryEntry[];
  access?: AccessEntry[];
}
export interface SourceColumn {
  field: string;
  header: string;
  required: boolean;
  label: string;
  labelEn: string;
}
export interface Source {
  key: string;
  label: string;
  labelEn: string;
  createsPersons: boolean;
  columns: SourceColumn[];
}
export interface ImportSummary {
  id: number;
  source: string;
  sourceLabel: string;
  sourceLabelEn?: string;
  fileName: string;
  format: string;
  encoding: string | null;
  asOf: string;
  status: 'applied' | 'rejected' | 'failed' | 'applying';
  rowsTotal: number;
  rowsBad: number;
  created: number;
  updated: number;
  unchanged: number;
  conflicts: number;
  closed: number;
  message: string | null;
  /** the importer's user id (null for the system: command line, demo, resumption) */
  importedBy: number | null;
  /** the importer's display name, shown as 导入人 */
  importedByName: string | null;
  startedAt: string;
  finishedAt: string | null;
}
export interface RowError {
  row: number;
  column: string | null;
  value: string | null;
  reason: string;
}
export interface AuditItem {
  seq: number;
  at: string;
  actor: string;
  role: string;
  ip: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  fields: string[] | null;
  detail: Record<string, unknown> | null;
}
export interface AuditVerify {
  ok: boolean;
  entries: number;
  problems: { seq: number; problem: string; message: string }[];
}
export interface UserRow extends User {
  active: boolean;
  lockedUntil: string | null;
}
