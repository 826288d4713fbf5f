/**
 * Open311 GeoReport v2 XML: a tiny serializer for the flat records the JSON builders make (open311-map.ts), so both
 * formats always carry the same fields. A list of records becomes
 *   <?xml version="1.0" encoding="utf-8"?><root><item><field>value</field>…</item>…</root>
 * (`services`/`service`, `service_requests`/`request`, `errors`/`error`, as in the spec). null is an empty element,
 * booleans and numbers their JSON text; text is escaped (& < > " ') and characters that XML 1.0 does not allow
 * (controls other than tab/CR/LF, lone surrogates, U+FFFE/U+FFFF) are dropped.
 */
import type { Response } from 'express';

export type Format = 'json' | 'xml';
export type XmlScalar = string | number | boolean | null | undefined;

export const XML_CONTENT_TYPE = 'text/xml; charset=utf-8';

/** Anything outside XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Element names we emit are our own field names; refuse anything else rather than produce broken XML. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function checkName(name: string): string {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  return name;
}

function element(name: string, value: XmlScalar): string {
  checkName(name);
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return `<${name}></${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A list of flat records as a GeoReport v2 XML document. */
export function toXml(rootName: string, itemName: string, items: readonly object[]): string {
  checkName(rootName);
  checkName(itemName);
  const body = items.map((item) => `<${itemName}>${Object.entries(item).map(([k, v]) => element(k, v as XmlScalar)).join('')}</${itemName}>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<${rootName}>${body}</${rootName}>`;
}

/** Sends `items` as the JSON array or as `<rootName><itemName>…` by the resource's extension. */
export function render(res: Response, ext: Format, rootName: string, itemName: string, items: readonly object[], status = 200): void {
  res.status(status);
  if (ext === 'xml') {
    res.set('Content-Type', XML_CONTENT_TYPE).send(toXml(rootName, itemName, items));
  } else {
    res.json(items);
  }
}
