import { createI18n } from 'vue-i18n';
import { categoryByCode } from '#common/incidents/categories';
import { addErrorTable } from './error-table';
import zhCN from './zh-CN';

export type Locale = 'zh-CN' | 'en';
/** The wall's texts (which every screen shares) and those of every other screen. */
export type MessageSet = 'wall' | 'staff';
const STORAGE_KEY = 'gridops.locale';

type Messages = Record<string, unknown>;

/**
 * Only the wall's Chinese texts are in the first chunk: the wall is the screen most visits open, unattended and
 * in Chinese. English, and the other screens' texts, are fetched when first needed (the message modules arrive
 * compiled: scripts/i18n-precompile.ts).
 */
const LOADERS: Record<Locale, Record<MessageSet, () => Promise<Messages>>> = {
  'zh-CN': {
    wall: async () => zhCN,
    staff: async () => (await import('./staff.zh-CN')).default,
  },
  en: {
    wall: async () => {
      const [messages, errors] = await Promise.all([import('./en'), import('./errors.en')]);
      addErrorTable('en', errors.errorsEn);
      return messages.default;
    },
    staff: async () => (await import('./staff.en')).default,
  },
};

export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN' as Locale,
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN } as Partial<Record<Locale, typeof zhCN>>, // English arrives when switched to
});

const loading = new Map<string, Promise<void>>([['zh-CN:wall', Promise.resolve()]]);
const inUse = new Set<MessageSet>(['wall']);

function load(locale: Locale, set: MessageSet): Promise<void> {
  const key = `${locale}:${set}`;
  let done = loading.get(key);
  if (!done) {
    done = LOADERS[locale][set]().then((messages) => i18n.global.mergeLocaleMessage(locale, messages));
    done.catch(() => loading.delete(key)); // a fetch that failed (network) is tried again next time
    loading.set(key, done);
  }
  return done;
}

const current = (): Locale => (i18n.global.locale.value === 'en' ? 'en' : 'zh-CN');

/** Loads a message set in the screen's language (and keeps it loaded through language switches). */
export function useMessages(set: MessageSet): Promise<void> {
  inUse.add(set);
  return load(current(), set);
}

/** The language saved on this browser (zh-CN unless switched to English). */
export function savedLocale(): Locale {
  return typeof localStorage !== 'undefined' && localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
}

/** Switches language once every message set in use is there in it: never a key or half a screen in the old one. */
export async function setLocale(locale: Locale): Promise<void> {
  let sets: MessageSet[];
  do {
    sets = [...inUse];
    await Promise.all(sets.map((set) => load(locale, set)));
  } while (inUse.size !== sets.length); // a screen asked for another set meanwhile
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
