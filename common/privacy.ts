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
  const isMaskable = (ch: string): boolean => isDigit(ch) || /^[Xx\uFF38\uFF58]$/.test(ch);
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
/** Check character of a resident ID: a digit or X, either width. */
const CHECK = '[0-9Xx\uFF10-\uFF19\uFF38\uFF58]';
/**
 * 18-character resident ID (6-digit area, birth date, 3-digit sequence, check digit/X) as citizens type it: in one
 * run, or split by single spaces or hyphens (110105 19491231 002X), in either width. A candidate is masked only when,
 * without its separators and in ASCII, it has the ID's shape with a real birth date (isId18).
 */
const ID18_IN_TEXT = new RegExp(`${NOT_ALNUM_BEFORE}${DIGIT}(?:[ \\-]?${DIGIT}){16}[ \\-]?${CHECK}${NOT_ALNUM_AFTER}`, 'g');
const ID18_EXACT = new RegExp(`^\\d{6}${DATE}\\d{3}[0-9X]$`);
const toAscii = (s: string): string => s.replace(/[\uFF10-\uFF19\uFF38\uFF58]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
const isId18 = (candidate: string): boolean => ID18_EXACT.test(toAscii(candidate).replace(/[ -]/g, '').toUpperCase());
/**
 * Mobile number, optionally +86, optionally split 3-4-4 by spaces, hyphens (also full-width and dashes) or dots;
 * up to three of them between groups, since people type "138  1234  5678".
 */
const SEP = '[\\s\\-.\uFF0D\u2014\u2013]{0,3}';
const MOBILE_IN_TEXT = new RegExp(
  `(?<!${DIGIT})((?:\\+?86|0086)${SEP})?([1\uFF11][3-9\uFF13-\uFF19]${DIGIT}${SEP}${DIGIT}{4}${SEP}${DIGIT}{4})(?!${DIGIT})`,
  'g',
);
/** Landline written with its area code and a hyphen: 028-84561234. */
const LANDLINE_IN_TEXT = new RegExp(`(?<!${DIGIT})(0${DIGIT}{2,3})-(${DIGIT}{7,8})(?!${DIGIT})`, 'g');
/**
 * Landline with its area code set apart by spaces, a hyphen or brackets and the local number possibly split:
 * 028 8456 1234, (028)84561234, 010-6552-1234. The area code and the last 4 digits are kept.
 */
const LANDLINE_SPLIT_IN_TEXT = new RegExp(
  `(?<!${DIGIT})[(（]?\\s*(0${DIGIT}{2,3})(?:\\s*[)）]\\s*|[\\s\\-]{1,2})${DIGIT}{3,4}[\\s\\-]?${DIGIT}{4}(?!${DIGIT})`,
  'g',
);
const maskSplitLandline = (m: string, area: string): string => {
  const end = m.indexOf(area) + area.length;
  return m.slice(0, end) + starDigits(m.slice(end), 0, 4);
};

/**
 * Mask the personal numbers citizens write into free text: 18-character ID numbers
 * (first 3 + last 4 kept), mobile numbers (138****1234) and landlines with an area code
 * (028-****1234). Everything else is left as written (the text stays untrusted: render
 * it as text, never as HTML).
 */
export function maskFreeText(text: string): string {
  return text
    .replace(ID18_IN_TEXT, (m) => (isId18(m) ? starDigits(m, 3, 4) : m))
    .replace(MOBILE_IN_TEXT, (_m, prefix: string | undefined, num: string) => `${prefix ?? ''}${starDigits(num, 3, 4)}`)
    .replace(LANDLINE_IN_TEXT, (_m, area: string, local: string) => `${area}-${starDigits(local, 0, 4)}`)
    .replace(LANDLINE_SPLIT_IN_TEXT, maskSplitLandline);
}

/** Old 15-digit resident ID (6-digit area, YYMMDD, 3-digit sequence). */
const ID15_IN_TEXT = new RegExp(
  `${NOT_ALNUM_BEFORE}${DIGIT}{6}${DIGIT}{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]${DIGIT}|3[01])${DIGIT}{3}${NOT_ALNUM_AFTER}`,
  'g',
);
/** An e-mail address in free text: the first character and the domain are kept (z*******@qq.com). */
const EMAIL_IN_TEXT = /([A-Za-z0-9])([A-Za-z0-9._%+-]*)(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
/** Landline with its area code but no separator: 02884561234. */
const LANDLINE_PLAIN_IN_TEXT = new RegExp(`(?<!${DIGIT})(0${DIGIT}{2,3})(${DIGIT}{7,8})(?!${DIGIT})`, 'g');

const CJK = '[\\u3400-\\u9fff]';
/** Words citizens write before their own or someone's name (我叫张三, 联系人：李四, 户主王五). */
const NAME_MARKERS = ['我叫', '我是', '本人', '姓名', '名字', '联系人', '报告人', '来电人', '反映人', '举报人', '求助人', '户主', '业主', '租户', '当事人', '投诉人', '报警人', '报案人', '求救人', '申请人'];
const NAME_AFTER_MARKER = new RegExp(`(${NAME_MARKERS.join('|')})([\\s:：是为叫]{0,3})(${CJK}{2,3})`, 'g');
/** Common surnames (single and compound): a surname with an honorific (张先生, 欧阳女士) identifies a caller. */
const SURNAMES =
  '欧阳|司马|上官|诸葛|东方|皇甫|令狐|慕容|' +
  '[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝]';
/**
 * 市民 / 居民 open most 12345 work orders ("市民王大明来电反映"). They are everyday words too (居民楼, 市民反映), so only
 * what starts with a common surname after them is taken for a name (a few words like 居民高度… are starred as well).
 */
// A two-character name is followed by the verb of the sentence (市民张三反映): those words do not end a name.
const RESIDENT_NAME = new RegExp(`(市民|居民)((?:${SURNAMES})${CJK}(?:(?![反来投举称说报致打向在于家等的和与])${CJK})?)`, 'g');
const HONORIFICS = '先生|女士|小姐|阿姨|大爷|大妈|大娘|奶奶|爷爷|婆婆|师傅|老师|同志|老伯|伯伯|叔叔|婶婶|姐|哥';
const FULL_NAME_HONORIFIC = new RegExp(`(${SURNAMES})(${CJK}{1,2}?)(先生|女士|小姐|同志)`, 'g');
const PLAIN_SURNAME_HONORIFIC = new RegExp(`(${SURNAMES})(${HONORIFICS})`, 'g');
/** Cheap pre-checks: most texts have no marker and no honorific, and those skip the costly patterns. */
const ANY_MARKER = new RegExp(NAME_MARKERS.join('|'));
const ANY_RESIDENT = /市民|居民/;
const ANY_HONORIFIC = new RegExp(HONORIFICS);
const ANY_DIGIT = /[0-9\uFF10-\uFF19]/;

const SURNAME_START = new RegExp(`^(?:${SURNAMES})`);

/**
 * Names a text gives after a marker (我叫蒋大卫 → 蒋大卫), those that start with a common surname: masked then
 * wherever else they occur (a staff note "已回电蒋大卫" has no marker of its own).
 */
export function namesInText(text: string | null | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  if (ANY_RESIDENT.test(text)) for (const m of text.matchAll(RESIDENT_NAME)) out.push(m[2] ?? '');
  if (!ANY_MARKER.test(text)) return out;
  for (const m of text.matchAll(NAME_AFTER_MARKER)) {
    const name = m[3] ?? '';
    if (SURNAME_START.test(name)) out.push(name);
  }
  return out;
}

/**
 * Mask names in free text: every occurrence of a known name (the reporters of the case), a name written after
 * the markers citizens use (我叫 / 本人 / 姓名 / 联系人 / 报告人 / 来电人 / 户主 …), and a surname with an
 * honorific (张先生 → *先生, 李女士 → *女士). Errs on the side of masking: a few ordinary words after a marker
 * are starred too.
 */
export function maskNamesInText(text: string, knownNames: readonly (string | null | undefined)[] = []): string {
  let out = text;
  const names = [...new Set(knownNames.map((n) => n?.trim() ?? '').filter((n) => Array.from(n).length >= 2))];
  // Longest first, so 欧阳小明 is masked before 欧阳.
  names.sort((a, b) => b.length - a.length);
  for (const n of names) {
    const masked = maskName(n);
    if (out.includes(n)) out = out.replaceAll(n, () => masked);
  }
  if (ANY_RESIDENT.test(out)) out = out.replace(RESIDENT_NAME, (_m, marker: string, name: string) => `${marker}${maskName(name)}`);
  if (ANY_MARKER.test(out)) {
    out = out.replace(NAME_AFTER_MARKER, (_m, marker: string, sep: string, name: string) => `${marker}${sep}${maskName(name)}`);
  }
  if (ANY_HONORIFIC.test(out)) {
    out = out.replace(FULL_NAME_HONORIFIC, (_m, s: string, given: string, h: string) => `${maskName(s + given)}${h}`);
    out = out.replace(PLAIN_SURNAME_HONORIFIC, (_m, _s: string, h: string) => `*${h}`);
  }
  return out;
}

/**
 * Everything a masked audience may see of citizen-written text: numbers (maskFreeText, plus 15-digit IDs and
 * landlines written without a hyphen) and names (maskNamesInText).
 */
type KnownNames = readonly (string | null | undefined)[];
export function maskPersonalText(text: string, knownNames?: KnownNames): string;
export function maskPersonalText(text: string | null, knownNames?: readonly (string | null | undefined)[]): string | null;
export function maskPersonalText(text: string | null, knownNames: readonly (string | null | undefined)[] = []): string | null {
  if (text === null) return null;
  if (text === '') return text;
  const numbers = !ANY_DIGIT.test(text)
    ? text
    : maskFreeText(text)
        .replace(ID15_IN_TEXT, (m) => starDigits(m, 3, 4))
        .replace(LANDLINE_PLAIN_IN_TEXT, (_m, area: string, local: string) => `${area}${starDigits(local, 0, 4)}`);
  const emails = numbers.includes('@') ? numbers.replace(EMAIL_IN_TEXT, (_m, first: string, rest: string, domain: string) => `${first}${'*'.repeat(Math.max(rest.length, 1))}${domain}`) : numbers;
  return maskNamesInText(emails, knownNames);
}
