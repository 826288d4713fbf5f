/**
 * The password policy, shared so the console can say what is wrong before sending. Deliberately simple and
 * explainable (NIST SP 800-63B style): long enough, not trivially guessable, not the username.
 */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export type PasswordProblem = 'too_short' | 'too_long' | 'one_class' | 'repeats' | 'contains_username' | 'same_as_current';

/** Every reason `next` is refused, empty when it is acceptable. */
export function passwordProblems(next: string, ctx: { username?: string; current?: string } = {}): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const chars = [...next.normalize('NFKC')];
  if (chars.length < PASSWORD_MIN) problems.push('too_short');
  if (chars.length > PASSWORD_MAX) problems.push('too_long');
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((re) => re.test(next)).length;
  if (classes < 2) problems.push('one_class');
  if (new Set(chars).size <= 3) problems.push('repeats');
  const user = ctx.username?.trim().toLowerCase();
  if (user && user.length >= 3 && next.toLowerCase().includes(user)) problems.push('contains_username');
  if (ctx.current !== undefined && ctx.current === next) problems.push('same_as_current');
  return problems;
}
