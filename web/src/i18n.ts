import { createElement, type ReactNode } from 'react';
import { messages as allMessages } from './modules';
import { I18nMessagesProvider, type Dictionary, type Locale } from './shared/i18n-core';

export { getLocale, LOCALE_KEY, translate, useI18n } from './shared/i18n-core';
export type { Dictionary, I18n, Locale, MessageKey, Messages } from './shared/i18n-core';

/** The console's languages with every listed module's strings (or `messages`, when given). */
export function I18nProvider({ messages = allMessages, children }: { messages?: Record<Locale, Dictionary>; children: ReactNode }) {
  return createElement(I18nMessagesProvider, { messages, children });
}
