import type pg from 'pg';
import { auditWhere, toAuditEntry, type AuditRow } from '../audit-rows.ts';
import type { AuditStore } from '../types.ts';

/** Appends only; a statement trigger refuses UPDATE, DELETE and TRUNCATE (schema.ts). */
export function postgresAuditStore(pool: pg.Pool): AuditStore {
  return {
    append: async (e, at) => {
      await pool.query(
        `INSERT INTO audit_log (at_ms, actor_id, actor_name, actor_role, action, target, detail, ip, user_agent, region_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [at.getTime(), e.actorId, e.actorName, e.actorRole, e.action, e.target, e.detail ? JSON.stringify(e.detail) : null, e.ip, e.userAgent, e.regionId],
      );
    },
    list: async (filter, page) => {
      const { where, values } = auditWhere({ ...filter, beforeId: page.beforeId }, (i) => `$${i}`);
      const sql = `SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT $${values.length + 1}`;
      return (await pool.query<AuditRow>(sql, [...values, page.limit])).rows.map(toAuditEntry);
    },
  };
}
