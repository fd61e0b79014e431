import { createContext, createElement, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/**
 * The console's language machinery, which pages and components use (useI18n). The strings live with
 * their modules (web/src/modules/<m>/messages.ts, zh-CN first, `en` typed against `zh` so a key
 * missing in English fails the typecheck); web/src/modules/index.ts lists the modules, adds their keys
 * to `Messages` and merges their dictionaries; web/src/i18n.ts provides them. Placeholders are `{name}`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by web/src/modules/index.ts (declaration merging)
export interface Messages {}
export type MessageKey = keyof Messages & string;
export type Dictionary = Record<MessageKey, string>;

export type Locale = 'zh-CN' | 'en';
export const LOCALE_KEY = 'yy.locale';

/** Fills `{name}` placeholders of a dictionary's template. */
export function translate(dictionary: Dictionary, key: MessageKey, vars?: Record<string, string | number>): string {
  // a key whose module's strings are not loaded yet shows as itself, not as a crash
  const template: string = dictionary[key] ?? key;
  return vars ? template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : template;
}

function storedLocale(): Locale {
  try {
    return globalThis.localStorage?.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

// The API client reads the locale outside React (for Accept-Language); this mirrors the context.
let currentLocale: Locale = storedLocale();
export function getLocale(): Locale {
  return currentLocale;
}

export interface I18n {
  locale: Locale;
  setLocale: (l: Locale) => void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** picks the Chinese or English label a server response carries */
  pick: (zhLabel: string | null | undefined, enLabel: string | null | undefined) => string;
}

const I18nContext = createContext<I18n | null>(null);

/** `messages`: every module's strings in both languages (web/src/modules/index.ts). */
export function I18nMessagesProvider({ messages, children }: { messages: Record<Locale, Dictionary>; children: ReactNode }) {
  const [locale, setState] = useState<Locale>(storedLocale);
  currentLocale = locale;
  const setLocale = useCallback((l: Locale) => {
    currentLocale = l;
    try {
      localStorage.setItem(LOCALE_KEY, l);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
    document.documentElement.lang = l;
    setState(l);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      locale,
      setLocale,
      t: (key, vars) => translate(messages[locale], key, vars),
      pick: (zhLabel, enLabel) => (locale === 'en' && enLabel ? enLabel : (zhLabel ?? enLabel ?? '')),
    }),
    [locale, setLocale, messages],
  );
  return createElement(I18nContext.Provider, { value }, children);
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
