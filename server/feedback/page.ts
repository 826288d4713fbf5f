/** The resident's three-choice page (/f/{token}): plain HTML forms, no script, readable on a phone. */
import type { VerdictResult } from '#common/incidents/verdict';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function shell(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><link rel="stylesheet" href="/f/feedback.css"></head><body><main>${body}</main></body></html>`;
}

const CHOICES: [VerdictResult, string, string][] = [
  ['satisfied', '满意', 'Satisfied'],
  ['basic', '基本满意', 'Basically satisfied'],
  ['unsatisfied', '不满意', 'Not satisfied'],
];

/** The question. `title` is the case's server-made title ("category · place"), escaped. */
export function askPage(token: string, title: string): string {
  const buttons = CHOICES.map(
    ([v, zh, en]) => `<button type="submit" name="result" value="${v}" class="${v}">${zh}<small>${en}</small></button>`,
  ).join('');
  return shell(
    '办理结果评价',
    `<h1>办理结果评价<small>How was your report handled?</small></h1>
<p class="case">${esc(title)}</p>
<p>您反映的问题已办结，请评价处理结果（只能提交一次）。<small>Your report was closed. Please rate the result (one answer).</small></p>
<form method="post" action="/f/${esc(token)}">${buttons}</form>`,
  );
}

export type Outcome = 'thanks' | 'answered' | 'expired' | 'superseded' | 'unknown' | 'unavailable';
const TEXT: Record<Outcome, [string, string]> = {
  thanks: ['感谢您的评价！', 'Thank you for your answer.'],
  answered: ['此链接已评价过，不能再次提交。', 'This link has already been answered.'],
  expired: ['此评价链接已过期（有效期 7 天）。', 'This link has expired (valid for 7 days).'],
  superseded: ['此评价链接已失效：该事件已通过其他方式评价，或已发出新的评价链接。', 'This link is no longer valid: the case was rated another way, or a newer link was sent.'],
  unknown: ['评价链接无效。', 'This link is not valid.'],
  unavailable: ['此事件当前不能评价，请稍后再试。', 'This case cannot be rated right now.'],
};
export function outcomePage(o: Outcome, reworked = false): string {
  const [zh, en] = TEXT[o];
  const more = reworked ? '<p>我们已将该事件发回重办。<small>The case has been sent back for rework.</small></p>' : '';
  return shell('办理结果评价', `<h1>${zh}<small>${en}</small></h1>${more}`);
}

export const PAGE_CSS = `
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f3f6fa;color:#10243a}
main{max-width:28rem;margin:0 auto;padding:1.5rem 1rem}h1{font-size:1.4rem;margin:0 0 1rem}small{display:block;font-size:.8rem;color:#5b6f86;font-weight:400;margin-top:.2rem}
.case{background:#fff;border-radius:.5rem;padding:.75rem 1rem;border:1px solid #d5dfeb;font-weight:600}
form{display:flex;flex-direction:column;gap:.75rem;margin-top:1.25rem}
button{font:inherit;font-size:1.2rem;font-weight:600;padding:1rem;border-radius:.6rem;border:2px solid transparent;color:#fff;cursor:pointer;min-height:3.5rem}
button small{color:inherit;opacity:.85}.satisfied{background:#1f8a4c}.basic{background:#1677c9}.unsatisfied{background:#c8402f}
`;
