import type { Dictionary, Locale } from '../shared/i18n-core';
import { assessment } from './assessment';
import { assessmentForm } from './assessment-form';
import { audit } from './audit';
import { catalogue } from './catalogue';
import { entitlements } from './entitlements';
import { imports } from './imports';
import { payments } from './payments';
import { register } from './register';
import { selfCheck } from './self-check';
import { settings } from './settings';
import { shell } from './shell';
import { users } from './users';
import type { ListedModule, ModuleRoute, NavItem } from './types';

/**
 * The console's modules, in menu order: the one list the router (app.tsx), the menu (nav.ts) and the
 * dictionary (below) are derived from.
 */
export const modules = [shell, register, imports, catalogue, entitlements, payments, assessment, assessmentForm, selfCheck, audit, users, settings] as const;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type ListedMessages = UnionToIntersection<(typeof modules)[number]['messages']['zh']>;

declare module '../shared/i18n-core' {
  // every listed module's keys are message keys
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Messages extends ListedMessages {}
}

const listed: readonly ListedModule[] = modules;

/** Every module's strings merged; a key two modules both declare is a mistake, refused here. */
function mergeMessages(list: readonly ListedModule[]): Record<Locale, Dictionary> {
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

export const messages = mergeMessages(listed);

/** Pages open without a session. */
export const publicRoutes: Omit<ModuleRoute, 'action'>[] = listed.flatMap((m) => m.publicRoutes ?? []);
/** Pages inside the logged-in frame. */
export const routes: ModuleRoute[] = listed.flatMap((m) => m.routes ?? []);
/** Menu entries, in module order (each module's labels are its own message keys). */
export const navEntries: NavItem[] = listed.flatMap((m) => (m.nav ?? []) as NavItem[]);
