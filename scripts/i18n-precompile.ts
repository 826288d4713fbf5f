import { baseCompile, type CompileError } from '@intlify/message-compiler';
import { parseAst, type Plugin } from 'vite';

/**
 * Compiles the screen texts of client/i18n/ at build time, so the client ships vue-i18n without its message
 * compiler (`__INTLIFY_DROP_MESSAGE_COMPILER__`, about 11 KB gzip off every page).
 *
 * Every string of a message module's default export (an object literal, or a `const` holding one) becomes the message AST that vue-i18n's runtime
 * formats (placeholders, plurals and linked messages included), exactly what its own compiler would have made
 * in the browser; spreads of other message modules stay as they are (those modules are compiled in turn). A
 * message that does not compile fails the build, naming the file and the key.
 *
 * Message modules: client/i18n/<name>.ts, except the error tables (plain lookups, not vue-i18n messages) and
 * index.ts. @intlify/unplugin-vue-i18n does the same for json/yaml/js/ts resources; this is that step alone,
 * with the compiler vue-i18n itself uses, and without the plugin's dependencies (a TypeScript ESTree parser,
 * the Vue SFC compiler, a glob library) that the client build would not otherwise need.
 */
export const MESSAGE_MODULE = /[\\/]client[\\/]i18n[\\/](?!index\.|errors[.\w-]*\.|error-table\.)[\w.-]+\.ts$/;

/** The AST of one message, minified and mangled as vue-i18n's production build expects. */
export function compileMessage(message: string, where: string): unknown {
  const errors: string[] = [];
  const { ast } = baseCompile(message, {
    jit: true,
    location: false,
    minify: true,
    onError: (err: CompileError) => errors.push(err.message),
  });
  if (errors.length > 0) throw new Error(`${where}: the message ${JSON.stringify(message)} does not compile: ${errors.join('; ')}`);
  return ast;
}

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** A message module's JavaScript with every message string replaced by its AST (as a JSON literal). */
export function precompileMessages(code: string, file: string): string {
  const program = parseAst(code) as unknown as { body: Node[] };
  let exported = program.body.find((n) => n.type === 'ExportDefaultDeclaration')?.declaration as Node | undefined;
  // `const en: typeof zh = { … }; export default en;` (the English modules, typed by the Chinese ones)
  if (exported?.type === 'Identifier') {
    const declarators = program.body.filter((n) => n.type === 'VariableDeclaration').flatMap((n) => n.declarations as Node[]);
    exported = declarators.find((d) => (d.id as { name?: string }).name === exported!.name)?.init as Node | undefined;
  }
  if (exported?.type !== 'ObjectExpression') throw new Error(`${file}: a message module must \`export default\` an object literal`);

  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (object: Node, path: string): void => {
    for (const prop of object.properties as Node[]) {
      if (prop.type === 'SpreadElement') continue; // another message module, compiled on its own
      const keyNode = prop.key as Node & { name?: string; value?: unknown };
      const key = `${path}${path ? '.' : ''}${String(keyNode.name ?? keyNode.value)}`;
      const value = prop.value as Node & { value?: unknown; expressions?: unknown[]; quasis?: { value: { cooked: string } }[] };
      if (prop.computed) throw new Error(`${file}: computed key at ${path || 'the top level'}`);
      if (value.type === 'ObjectExpression') visit(value, key);
      else if (value.type === 'Literal' && typeof value.value === 'string') {
        edits.push({ start: value.start, end: value.end, text: JSON.stringify(compileMessage(value.value, `${file} ${key}`)) });
      } else if (value.type === 'TemplateLiteral' && value.expressions?.length === 0) {
        edits.push({ start: value.start, end: value.end, text: JSON.stringify(compileMessage(value.quasis![0]!.value.cooked, `${file} ${key}`)) });
      } else throw new Error(`${file}: ${key} is not a string or an object of strings (${value.type})`);
    }
  };
  visit(exported, '');

  let out = code;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The Vite plugin: runs after TypeScript is stripped, on the message modules only. */
export function i18nPrecompile(): Plugin {
  return {
    name: 'gridops-i18n-precompile',
    enforce: 'post',
    transform: {
      filter: { id: MESSAGE_MODULE },
      handler(code, id) {
        return { code: precompileMessages(code, id.replace(/.*[\\/](client[\\/])/, '$1')), map: null };
      },
    },
  };
}
