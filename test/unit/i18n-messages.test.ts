import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { transformWithOxc } from 'vite';
import { createI18n } from 'vue-i18n';
import { describe, expect, it } from 'vitest';
import en from '../../client/i18n/en';
import staffEn from '../../client/i18n/staff.en';
import staffZh from '../../client/i18n/staff.zh-CN';
import zh from '../../client/i18n/zh-CN';
import { compileMessage, MESSAGE_MODULE, precompileMessages } from '../../scripts/i18n-precompile';

/**
 * The client ships vue-i18n without its message compiler: scripts/i18n-precompile.ts compiles every message at
 * build time. These tests compile every message module as the build does, render compiled messages through
 * vue-i18n's runtime, and check that the wall's message set holds every key the wall's components use (the
 * wall never fetches the other screens' set).
 */
const ROOT = join(import.meta.dirname, '../..');
const I18N = join(ROOT, 'client/i18n');
type Tree = { [key: string]: string | Tree };

/** The same tree with every string replaced by its compiled AST, as the build ships it. */
function compiled(tree: Tree, path = ''): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(tree).map(([k, v]) => [k, typeof v === 'string' ? compileMessage(v, `${path}${k}`) : compiled(v, `${path}${k}.`)]),
  );
}

function keys(tree: Tree, path = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${path}${k}`] : keys(v, `${path}${k}.`)));
}

function has(tree: Tree, key: string): boolean {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return node !== undefined;
}

describe('i18n messages, compiled at build time', () => {
  it('every message module compiles: each string becomes an AST, spreads stay', async () => {
    const files = readdirSync(I18N).filter((f) => MESSAGE_MODULE.test(join(I18N, f)));
    expect(files).toContain('zh-CN.ts');
    expect(files).toContain('staff.en.ts');
    expect(files).not.toContain('errors.zh-CN.ts');
    for (const f of files) {
      const js = (await transformWithOxc(readFileSync(join(I18N, f), 'utf8'), f)).code;
      const out = precompileMessages(js, f);
      expect(out, f).not.toMatch(/^\s*[\w$]+:\s*["'`]/m); // no message left as a string (AST keys are quoted)
      if (f === 'zh-CN.ts') {
        expect(out).toContain('...care');
        expect(out).toContain('{"t":0,"b":{"t":2,"i":[{"t":3}],"s":"智慧社区指挥中心"}}');
      }
    }
  });

  it('a message that does not compile fails the build, naming the key', () => {
    expect(() => precompileMessages("export default { a: { b: 'broken {n' } };", 'x.ts')).toThrow(/x\.ts a\.b/);
    expect(() => precompileMessages('export default { a: 1 };', 'x.ts')).toThrow(/not a string/);
  });

  it('compiled messages render in both languages: text, placeholders, plurals and links', () => {
    const i18n = createI18n({
      legacy: false,
      locale: 'zh-CN',
      fallbackLocale: 'zh-CN',
      messages: {
        'zh-CN': { ...compiled(zh as Tree), extra: compiled({ cars: '没有车 | 一辆车 | {n} 辆车', link: '@:app.title · 大屏' }) },
        en: { ...compiled(en as Tree), extra: compiled({ cars: 'no car | one car | {n} cars', link: '@:app.title (wall)' }) },
      },
    });
    const { t } = i18n.global;
    expect(t('app.title')).toBe('智慧社区指挥中心');
    expect(t('feed.count', { n: 7 })).toBe('在办 7 件');
    expect(t('extra.cars', 0)).toBe('没有车');
    expect(t('extra.cars', 5)).toBe('5 辆车');
    expect(t('extra.link')).toBe('智慧社区指挥中心 · 大屏');
    i18n.global.locale.value = 'en';
    expect(t('app.title')).toBe('Community Command Center');
    expect(t('feed.count', { n: 7 })).toBe('7 open');
    expect(t('extra.cars', 1)).toBe('one car');
    expect(t('extra.cars', 3)).toBe('3 cars');
    expect(t('extra.link')).toBe('Community Command Center (wall)');
  });

  it('both languages hold the same keys, set by set', () => {
    expect(keys(en as Tree).sort()).toEqual(keys(zh as Tree).sort());
    expect(keys(staffEn as Tree).sort()).toEqual(keys(staffZh as Tree).sort());
    // The sets do not overlap: a screen never gets a text from the wrong set.
    const wall = new Set(keys(zh as Tree));
    expect(keys(staffZh as Tree).filter((k) => wall.has(k))).toEqual([]);
  });

  it('the wall’s message set holds every key the wall’s components use', () => {
    // Every client module the wall view reaches by a relative import, static or lazy.
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
        const base = resolve(dirname(file), m[1]!);
        const target = [base, `${base}.ts`, `${base}.vue`, join(base, 'index.ts')].find((p) => existsSync(p) && /\.(ts|vue)$/.test(p));
        if (target && !target.includes(`${join('client', 'i18n')}`)) visit(target);
      }
    };
    visit(join(ROOT, 'client/views/WallView.vue'));
    expect(seen.size).toBeGreaterThan(30);

    const missing: string[] = [];
    for (const file of seen) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/\bte?\(\s*'([a-zA-Z][\w.]*)'/g)) if (!has(zh as Tree, m[1]!)) missing.push(`${m[1]} (${file.slice(ROOT.length + 1)})`);
      // `t(\`care.weekday.${d}\`)`: the fixed part must be a group of the wall's set.
      for (const m of source.matchAll(/\bte?\(\s*`([a-zA-Z][\w.]*)\.\$\{/g)) if (!has(zh as Tree, m[1]!)) missing.push(`${m[1]}.* (${file.slice(ROOT.length + 1)})`);
    }
    expect(missing).toEqual([]);
  });
});
