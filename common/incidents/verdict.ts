/** The resident's verdict on a closed case (回访), collected by the channel the case came from. */
export const VERDICT_RESULTS = ['satisfied', 'basic', 'unsatisfied'] as const;
/** 满意 / 基本满意 / 不满意 */
export type VerdictResult = (typeof VERDICT_RESULTS)[number];

/** hotline: the 12345 system's callback; open311: the reporter's one-time link; phone: a dispatcher's callback. */
export const VERDICT_CHANNELS = ['hotline', 'open311', 'phone'] as const;
export type VerdictChannel = (typeof VERDICT_CHANNELS)[number];

export interface Verdict {
  result: VerdictResult;
  channel: VerdictChannel;
  /** ISO-8601. */
  at: string;
}

/** 满意 and 基本满意 count as satisfied in 满意率. */
export function isSatisfied(result: VerdictResult): boolean {
  return result !== 'unsatisfied';
}
