/**
 * Masking of personal data before it leaves the server (DESIGN "Privacy and security"):
 * names 李*明, phones 138****1234, ID numbers first 3 + last 4. Pure string functions;
 * full-width digits (０-９), which citizens do type, are treated as digits.
 */

const DIGIT = '[0-9\uFF10-\uFF19]';
const isDigit = (ch: string): boolean => /^[0-9\uFF10-\uFF19]$/.test(ch);

/**
 * Replace every digit (and ID check letter X) of `s` with `*`, except the first `keepFirst`
 * and the last `keepLast` of them; other characters (separators) are kept.
 */
function starDigits(s: string, keepFirst: number, keepLast: number): string {
  const chars = Array.from(s);
  const isMaskable = (ch: string): boolean => isDigit(ch) || ch === 'X' || ch === 'x';
  const total = chars.filter(isMaskable).length;
  let i = 0;
  return chars
    .map((ch) => {
      if (!isMaskable(ch)) return ch;
      const idx = i++;
      return idx < keepFirst || idx >= total - keepLast ? ch : '*';
    })
    .join('');
}

/** 李明 → 李*, 李小明 → 李*明, 欧阳小明 → 欧**明; one character → *. */
export function maskName(name: string): string;
export function maskName(name: string | null): string | null;
export function maskName(name: string | null): string | null {
  if (name === null) return null;
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

const MOBILE = /^(\+?86|0086)?(1[3-9]\d{9})$/;
const LANDLINE = /^(0(?:10|2\d|[3-9]\d{2}))(\d{7,8})$/;

/**
 * Mobiles 13812341234 / +86 138-1234-1234 → 138****1234 (+86 kept as prefix);
 * landlines keep the area code and the last 4 digits: 028-84561234 → 028-****1234,
 * an extension is kept (028-84561234-805 → 028-****1234-805);
 * numbers of fewer than 7 digits (12345, 110, 95588: service lines, not personal) are kept;
 * anything else keeps only its last 4 digits.
 */
export function maskPhone(phone: string): string;
export function maskPhone(phone: string | null): string | null;
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  const trimmed = phone.trim();
  const ascii = trimmed.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  const compact = ascii.replace(/[\s\-()（）]/g, '');
  const mobile = MOBILE.exec(compact);
  if (mobile) {
    const n = mobile[2] ?? '';
    return `${mobile[1] ? '+86 ' : ''}${n.slice(0, 3)}****${n.slice(7)}`;
  }
  const digits = compact.replace(/\D/g, '');
  if (digits.length < 7) return trimmed;
  const parts = ascii.split(/[\s\-()（）]+/).filter((p) => p.length > 0);
  const [area = '', local = '', ...ext] = parts;
  if (/^0\d{2,3}$/.test(area) && /^\d{7,8}$/.test(local)) {
    return `${area}-${starDigits(local, 0, 4)}${ext.length > 0 ? `-${ext.join('-')}` : ''}`;
  }
  const land = LANDLINE.exec(compact);
  if (land) return `${land[1]}-${starDigits(land[2] ?? '', 0, 4)}`;
  return starDigits(ascii.replace(/\s+/g, ''), 0, 4);
}

/**
 * ID numbers: first 3 + last 4 with stars between (18-character resident ID →
 * 510***********123X; 15-digit old IDs and other document numbers alike); 7 characters
 * or fewer are starred entirely.
 */
export function maskIdNumber(id: string): string;
export function maskIdNumber(id: string | null): string | null;
export function maskIdNumber(id: string | null): string | null {
  if (id === null) return null;
  const chars = Array.from(id.trim());
  if (chars.length <= 7) return '*'.repeat(chars.length);
  return `${chars.slice(0, 3).join('')}${'*'.repeat(chars.length - 7)}${chars.slice(-4).join('')}`;
}

const DATE = `(?:18|19|20)${DIGIT}{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]${DIGIT}|3[01])`;
const NOT_ALNUM_BEFORE = '(?<![0-9A-Za-z\uFF10-\uFF19])';
const NOT_ALNUM_AFTER = '(?![0-9A-Za-z\uFF10-\uFF19])';
/** 18-character resident ID (6-digit area, birth date, 3-digit sequence, check digit/X). */
const ID18_IN_TEXT = new RegExp(`${NOT_ALNUM_BEFORE}${DIGIT}{6}${DATE}${DIGIT}{3}[0-9Xx\uFF10-\uFF19]${NOT_ALNUM_AFTER}`, 'g');
/** Mobile number, optionally +86, optionally split 3-4-4 by spaces or hyphens. */
const SEP = '[\\s-]?';
const MOBILE_IN_TEXT = new RegExp(
  `(?<!${DIGIT})((?:\\+?86|0086)${SEP})?([1\uFF11][3-9\uFF13-\uFF19]${DIGIT}${SEP}${DIGIT}{4}${SEP}${DIGIT}{4})(?!${DIGIT})`,
  'g',
);
/** Landline written with its area code and a hyphen: 028-84561234. */
const LANDLINE_IN_TEXT = new RegExp(`(?<!${DIGIT})(0${DIGIT}{2,3})-(${DIGIT}{7,8})(?!${DIGIT})`, 'g');

/**
 * Mask the personal numbers citizens write into free text: 18-character ID numbers
 * (first 3 + last 4 kept), mobile numbers (138****1234) and landlines with an area code
 * (028-****1234). Everything else is left as written (the text stays untrusted: render
 * it as text, never as HTML).
 */
export function maskFreeText(text: string): string {
  return text
    .replace(ID18_IN_TEXT, (m) => starDigits(m, 3, 4))
    .replace(MOBILE_IN_TEXT, (_m, prefix: string | undefined, num: string) => `${prefix ?? ''}${starDigits(num, 3, 4)}`)
    .replace(LANDLINE_IN_TEXT, (_m, area: string, local: string) => `${area}-${starDigits(local, 0, 4)}`);
}
