import type pg from 'pg';
import type { FeedbackStore } from '../feedback-types.ts';
import { toLink } from '../sqlite/feedback.ts';

export function postgresFeedbackStore(pool: pg.Pool): FeedbackStore {
  return {
    createLink: async (l) =>
      ((
        await pool.query('INSERT INTO feedback_links (token_hash, incident_id, created_ms, expires_ms) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
          l.tokenHash, l.incidentId, l.createdMs, l.expiresMs,
        ])
      ).rowCount ?? 0) > 0,
    getLink: async (h) => {
      const r = (await pool.query('SELECT * FROM feedback_links WHERE token_hash = $1', [h])).rows[0];
      return r ? toLink(r) : null;
    },
    latestLink: async (id) => {
      const r = (await pool.query('SELECT * FROM feedback_links WHERE incident_id = $1 ORDER BY created_ms DESC LIMIT 1', [id])).rows[0];
      return r ? toLink(r) : null;
    },
    answer: async (h, result, nowMs) =>
      ((await pool.query('UPDATE feedback_links SET answered_ms = $1, result = $2 WHERE token_hash = $3 AND answered_ms IS NULL AND expires_ms > $1', [nowMs, result, h]))
        .rowCount ?? 0) > 0,
    unanswer: async (h) => {
      await pool.query('UPDATE feedback_links SET answered_ms = NULL, result = NULL WHERE token_hash = $1', [h]);
    },
    incidentOfReport: async (c, e) =>
      (await pool.query<{ incident_id: string }>('SELECT incident_id FROM reports WHERE connector_id = $1 AND external_id = $2', [c, e])).rows[0]?.incident_id ?? null,
  };
}
