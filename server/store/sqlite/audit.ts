import { auditWhere, toAuditEntry, type AuditRow } from '../audit-rows.ts';
import type { AuditStore } from '../types.ts';
import type { Db } from './open.ts';

/** Appends only; the table's triggers refuse UPDATE and DELETE (schema.ts). */
export function sqliteAuditStore(db: Db): AuditStore {
  const insert = db.prepare(
    `INSERT INTO audit_log (at_ms, actor_id, actor_name, actor_role, action, target, detail, ip, user_agent, region_id)
     VALUES (@at, @actorId, @actorName, @actorRole, @action, @target, @detail, @ip, @userAgent, @regionId)`,
  );
  return {
    append: async (e, at) => {
      insert.run({ ...e, at: at.getTime(), detail: e.detail ? JSON.stringify(e.detail) : null });
    },
    list: async (filter, page) => {
      const { where, values } = auditWhere({ ...filter, beforeId: page.beforeId }, () => '?');
      return db.prepare<unknown[], AuditRow>(`SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT ?`).all(...values, page.limit).map(toAuditEntry);
    },
  };
}
