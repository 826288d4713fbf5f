import type { VerdictResult } from '#common/incidents/verdict';

/** A resident's one-time feedback link (回访 for Open311 cases); the token itself is never stored. */
export interface FeedbackLink {
  tokenHash: string;
  incidentId: string;
  createdMs: number;
  expiresMs: number;
  answeredMs: number | null;
  result: VerdictResult | null;
}

export interface FeedbackStore {
  /** Keep a link; a second create of the same token hash is ignored (false). */
  createLink(link: Omit<FeedbackLink, 'answeredMs' | 'result'>): Promise<boolean>;
  getLink(tokenHash: string): Promise<FeedbackLink | null>;
  /** The incident's newest link (a re-closed case has one per closure), or null. */
  latestLink(incidentId: string): Promise<FeedbackLink | null>;
  /** Claim the link's one answer: true only for the first caller, and only before it expires. */
  answer(tokenHash: string, result: VerdictResult, nowMs: number): Promise<boolean>;
  /** Give a claimed answer back (the verdict could not be written). */
  unanswer(tokenHash: string): Promise<void>;
  /** The incident that holds the upstream report (connector, external id) now (merges move reports), or null. */
  incidentOfReport(connectorId: string, externalId: string): Promise<string | null>;
}
