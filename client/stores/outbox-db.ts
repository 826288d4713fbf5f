import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Incident } from '#common/incidents/types';
import type { OutboxItem } from '#common/mobile/queue';

/** What the grid-worker app keeps on the phone: its outbox, the photos in it, and the last copy of its tasks. */
interface FieldDb extends DBSchema {
  outbox: { key: string; value: OutboxItem };
  blobs: { key: string; value: Blob };
  /** The last known task list and task details, so the app opens with no network. */
  tasks: { key: string; value: Incident };
  details: { key: string; value: { id: string; data: unknown; at: number } };
  /** Report client id → the incident it became (photos of a queued report go there). */
  reports: { key: string; value: { id: string; incidentId: string } };
}

let dbp: Promise<IDBPDatabase<FieldDb>> | null = null;

/** One database per signed-in user, so a shared phone does not mix two workers' outboxes. */
export function fieldDb(userId: string): Promise<IDBPDatabase<FieldDb>> {
  dbp ??= openDB<FieldDb>(`gridops-field-${userId}`, 1, {
    upgrade(db) {
      db.createObjectStore('outbox', { keyPath: 'id' });
      db.createObjectStore('blobs');
      db.createObjectStore('tasks', { keyPath: 'id' });
      db.createObjectStore('details', { keyPath: 'id' });
      db.createObjectStore('reports', { keyPath: 'id' });
    },
  });
  return dbp;
}

/** Sign-out: the next user opens their own database. */
export function closeFieldDb(): void {
  void dbp?.then((db) => db.close());
  dbp = null;
}

export type { FieldDb };
