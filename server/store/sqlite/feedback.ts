import type { VerdictResult } from '#common/incidents/verdict';
import type { FeedbackLink, FeedbackStore } from '../feedback-types.ts';
import type { Db } from './open.ts';

interface Row {
  token_hash: string;
  incident_id: string;
  created_ms: number;
  expires_ms: number;
  answered_ms: number | null;
  result: string | null;
}
export const toLink = (r: Row): FeedbackLink => ({
  tokenHash: r.token_hash,
  incidentId: r.incident_id,
  createdMs: Number(r.created_ms),
  expiresMs: Number(r.expires_ms),
  answeredMs: r.answered_ms === null ? null : Number(r.answered_ms),
  result: r.result as VerdictResult | null,
});

export function sqliteFeedbackStore(db: Db): FeedbackStore {
  const q = {
    create: db.prepare('INSERT OR IGNORE INTO feedback_links (token_hash, incident_id, created_ms, expires_ms) VALUES (?, ?, ?, ?)'),
    get: db.prepare<[string], Row>('SELECT * FROM feedback_links WHERE token_hash = ?'),
    latest: db.prepare<[string], Row>('SELECT * FROM feedback_links WHERE incident_id = ? ORDER BY created_ms DESC LIMIT 1'),
    answer: db.prepare('UPDATE feedback_links SET answered_ms = ?, result = ? WHERE token_hash = ? AND answered_ms IS NULL AND expires_ms > ?'),
    unanswer: db.prepare('UPDATE feedback_links SET answered_ms = NULL, result = NULL WHERE token_hash = ?'),
    report: db.prepare<[string, string], { incident_id: string }>('SELECT incident_id FROM reports WHERE connector_id = ? AND external_id = ?'),
  };
  return {
    createLink: async (l) => q.create.run(l.tokenHash, l.incidentId, l.createdMs, l.expiresMs).changes > 0,
    getLink: async (h) => {
      const r = q.get.get(h);
      return r ? toLink(r) : null;
    },
    latestLink: async (id) => {
      const r = q.latest.get(id);
      return r ? toLink(r) : null;
    },
    answer: async (h, result, nowMs) => q.answer.run(nowMs, result, h, nowMs).changes > 0,
    unanswer: async (h) => {
      q.unanswer.run(h);
    },
    incidentOfReport: async (c, e) => q.report.get(c, e)?.incident_id ?? null,
  };
}
