import type { Dictionary, Locale } from '../shared/i18n-core';
import { admission } from './admission';
import { alarmDevices } from './alarm-devices';
import { alarmReports } from './alarm-reports';
import { alarms } from './alarms';
import { assessment } from './assessment';
import { assessmentForm } from './assessment-form';
import { audit } from './audit';
import { catalogue } from './catalogue';
import { complaints } from './complaints';
import { entitlements } from './entitlements';
import { facilities } from './facilities';
import { hotline } from './hotline';
import { imports } from './imports';
import { indicators } from './indicators';
import { payments } from './payments';
import { publicPages } from './public';
import { register } from './register';
import { mealsBeds } from './meals-beds';
import { selfCheck } from './self-check';
import { services } from './services';
import { servicesPhone } from './services-phone';
import { settings } from './settings';
import { supervision } from './supervision';
import { shell } from './shell';
import { timebank } from './timebank';
import { users } from './users';
import { visits } from './visits';
import { visitsPhone } from './visits-phone';
import type { ConsoleModule, ListedModule, ModuleMessages, ModuleRoute, NavItem } from './types';

/**
 * The console's modules, in menu order: the one list the router (app.tsx), the menu (nav.ts) and the
 * dictionary (below) are derived from.
 */
export const modules = [
  shell,
  register,
  imports,
  catalogue,
  entitlements,
  payments,
  assessment,
  assessmentForm,
  visits,
  visitsPhone,
  timebank,
  services,
  servicesPhone,
  mealsBeds,
  alarms,
  hotline,
  alarmDevices,
  alarmReports,
  facilities,
  admission,
  complaints,
  supervision,
  indicators,
  selfCheck,
  publicPages,
  audit,
  users,
  settings,
] as const;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type ZhOf<M> = M extends ConsoleModule<infer Z> ? Z : never;
type ListedMessages = UnionToIntersection<ZhOf<(typeof modules)[number]>>;

declare module '../shared/i18n-core' {
  // every listed module's keys are message keys
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Messages extends ListedMessages {}
}

const listed: readonly ListedModule[] = modules;

/** Every given module's strings merged; a key two modules both declare is a mistake, refused here. */
function mergeMessages(list: readonly { id: string; messages: ModuleMessages }[]): Record<Locale, Dictionary> {
  const zh: Record<string, string> = {};
  const en: Record<string, string> = {};
  for (const m of list) {
    for (const key of Object.keys(m.messages.zh)) {
      if (key in zh) throw new Error(`message ${key} is declared twice (module ${m.id})`);
      zh[key] = m.messages.zh[key] as string;
      en[key] = m.messages.en[key] as string;
    }
  }
  return { 'zh-CN': zh as Dictionary, en: en as Dictionary };
}

/**
 * The strings the first chunk carries: the modules whose messages are not fetched later (the shell:
 * the login page). Every other page is inside antd's frame, which waits for loadMessages() (app.tsx),
 * so that the login page stays small on a phone's slow line (issue 14's budget).
 */
const eager = listed.flatMap((m) => (typeof m.messages === 'function' ? [] : [{ id: m.id, messages: m.messages }]));
let current = mergeMessages(eager);
const listeners = new Set<() => void>();
let loading: Promise<Record<Locale, Dictionary>> | undefined;

/** Every module's strings, fetched once (the modules' messages files are one chunk, vite.config.ts). */
export function loadMessages(): Promise<Record<Locale, Dictionary>> {
  loading ??= Promise.all(listed.map(async (m) => ({ id: m.id, messages: typeof m.messages === 'function' ? await m.messages() : m.messages }))).then(
    (all) => {
      current = mergeMessages(all);
      for (const l of listeners) l();
      return current;
    },
    (err: unknown) => {
      loading = undefined; // a failed fetch (offline) is tried again by the next page
      throw err;
    },
  );
  return loading;
}

/** The strings known now (the shell's, then everyone's once loadMessages() has answered). */
export function currentMessages(): Record<Locale, Dictionary> {
  return current;
}

/** Calls `listener` when loadMessages() has answered (useSyncExternalStore). */
export function subscribeMessages(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Pages open without a session. */
export const publicRoutes: Omit<ModuleRoute, 'action'>[] = listed.flatMap((m) => m.publicRoutes ?? []);
/** Pages inside the logged-in frame. */
export const routes: ModuleRoute[] = listed.flatMap((m) => m.routes ?? []);
/** Menu entries, in module order (each module's labels are its own message keys). */
export const navEntries: NavItem[] = listed.flatMap((m) => (m.nav ?? []) as NavItem[]);
