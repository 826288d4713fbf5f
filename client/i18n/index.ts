import { createI18n } from 'vue-i18n';
import { categoryByCode } from '#common/incidents/categories';
import en from './en';
import zhCN from './zh-CN';

export type Locale = 'zh-CN' | 'en';
const STORAGE_KEY = 'gridops.locale';

function initialLocale(): Locale {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return saved === 'en' ? 'en' : 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

/** Category names live with the categories in common/, in both languages. */
export function categoryName(code: string, locale: string): string {
  const c = categoryByCode(code);
  if (!c) return code;
  return locale === 'en' ? c.nameEn : c.nameZh;
}
