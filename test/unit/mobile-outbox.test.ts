import { describe, expect, it } from 'vitest';
import {
  afterReply,
  backoffMs,
  BACKOFF_MAX_MS,
  classify,
  expectedStatus,
  makeItem,
  mediaTarget,
  nextToSend,
  pendingCount,
  versionFor,
  type OutboxItem,
} from '#common/mobile/queue';

const NOW = 1_000_000;

function queue(): OutboxItem[] {
  const items: OutboxItem[] = [];
  items.push(makeItem(items, 'action', 'a1', { incidentId: 'INC-1', action: 'accept', version: 3 }, NOW));
  items.push(makeItem(items, 'action', 'a2', { incidentId: 'INC-1', action: 'submit_feedback', version: 4, note: 'done' }, NOW));
  items.push(makeItem(items, 'report', 'r1', { category: 'graffiti', note: '', location: { lng: 104.1, lat: 30.6 }, reportedAt: new Date(NOW).toISOString() }, NOW));
  items.push(makeItem(items, 'media', 'm1', { incidentId: null, reportId: 'r1', parentId: 'r1', blobKey: 'b1', name: 'p.jpg', type: 'image/jpeg' }, NOW));
  return items;
}

describe('outbox classification', () => {
  it('sorts replies into done, retry, auth, conflict and rejected', () => {
    expect(classify(200, null)).toBe('done');
    expect(classify(202, null)).toBe('done');
    expect(classify(0, null)).toBe('retry');
    expect(classify(503, 'server/unavailable')).toBe('retry');
    expect(classify(429, 'rate/limited')).toBe('retry');
    expect(classify(409, 'idempotency/in_progress')).toBe('retry');
    expect(classify(401, 'auth/unauthorized')).toBe('auth');
    expect(classify(409, 'incident/conflict')).toBe('conflict');
    expect(classify(409, 'incident/invalid_transition')).toBe('conflict');
    expect(classify(403, 'incident/forbidden')).toBe('conflict');
    expect(classify(404, 'incident/not_found')).toBe('conflict');
    expect(classify(400, 'incident/note_required')).toBe('rejected');
    expect(classify(415, 'media/not_image')).toBe('rejected');
    expect(classify(413, 'media/too_large')).toBe('rejected');
    expect(classify(422, 'idempotency/mismatch')).toBe('rejected');
  });
});

describe('outbox order and backoff', () => {
  it('sends strictly in creation order: a backing-off head blocks the rest', () => {
    const items = queue();
    expect(nextToSend(items, NOW)).toEqual({ item: items[0] });
    const backedOff = afterReply(items[0]!, 'retry', null, NOW, 0.5)!;
    expect(backedOff.attempts).toBe(1);
    const next = [backedOff, ...items.slice(1)];
    const r = nextToSend(next, NOW);
    expect(r).toEqual({ wait: backedOff.nextAt - NOW });
    expect(nextToSend(next, backedOff.nextAt)).toEqual({ item: backedOff });
  });

  it('drops a done item and skips a failed one, which stays to be shown', () => {
    const items = queue();
    expect(afterReply(items[0]!, 'done', null, NOW, 0)).toBeNull();
    const failed = afterReply(items[0]!, 'conflict', { code: 'incident/conflict', message: 'changed' }, NOW, 0)!;
    expect(failed.state).toBe('failed');
    expect(failed.failure).toEqual({ outcome: 'conflict', code: 'incident/conflict', message: 'changed' });
    expect(nextToSend([failed, ...items.slice(1)], NOW)).toEqual({ item: items[1] });
    // 401 leaves the item as it was: sent again after sign-in.
    expect(afterReply(items[0]!, 'auth', null, NOW, 0)).toEqual(items[0]);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffMs(1, 0)).toBe(500);
    expect(backoffMs(1, 0.999)).toBeLessThanOrEqual(1000);
    expect(backoffMs(3, 0)).toBe(2000);
    expect(backoffMs(30, 0.999)).toBeLessThanOrEqual(BACKOFF_MAX_MS);
    expect(backoffMs(30, 0)).toBe(BACKOFF_MAX_MS / 2);
  });

  it('numbers new items after every existing one', () => {
    const items = queue();
    expect(items.map((i) => i.seq)).toEqual([1, 2, 3, 4]);
  });
});

describe('outbox versions and targets', () => {
  it('queues a new action past the worker own queued actions, never behind the server', () => {
    const items = queue();
    expect(versionFor(items, 'INC-1', 3)).toBe(5);
    expect(versionFor(items, 'INC-1', 9)).toBe(9);
    expect(versionFor(items, 'INC-2', 7)).toBe(7);
  });

  it('shows the status the queued actions lead to', () => {
    const items = queue();
    expect(expectedStatus(items, 'INC-1', 'dispatched')).toBe('feedback');
    expect(expectedStatus(items.slice(0, 1), 'INC-1', 'dispatched')).toBe('in_progress');
    // Already moved on elsewhere: an action whose rule does not apply changes nothing.
    expect(expectedStatus(items, 'INC-1', 'closed')).toBe('closed');
  });

  it('sends a report photo once its report has an incident; orphans it when the report failed', () => {
    const items = queue();
    const media = items[3]!;
    if (media.kind !== 'media') throw new Error('fixture');
    expect(mediaTarget(media.payload, new Map(), items)).toBe('blocked');
    expect(mediaTarget(media.payload, new Map([['r1', 'INC-9']]), items)).toEqual({ incidentId: 'INC-9' });
    const failed = items.map((i) => (i.id === 'r1' ? { ...i, state: 'failed' as const } : i));
    expect(mediaTarget(media.payload, new Map(), failed)).toBe('orphan');
    expect(mediaTarget({ ...media.payload, incidentId: 'INC-1' }, new Map(), items)).toEqual({ incidentId: 'INC-1' });
  });
});

describe('outbox count', () => {
  it('counts what the worker did: an action or report with its photos once, a photo alone once its parent went', () => {
    const items: OutboxItem[] = [];
    items.push(makeItem(items, 'media', 'p1', { incidentId: 'INC-1', reportId: null, parentId: 'f1', blobKey: 'p1', name: 'a.jpg', type: 'image/jpeg' }, NOW));
    items.push(makeItem(items, 'action', 'f1', { incidentId: 'INC-1', action: 'submit_feedback', version: 4 }, NOW));
    expect(pendingCount(items)).toBe(1);
    expect(pendingCount(items.filter((i) => i.id !== 'f1'))).toBe(1);
    expect(pendingCount(items.filter((i) => i.id !== 'p1'))).toBe(1);
    expect(pendingCount(queue())).toBe(3);
    expect(pendingCount([])).toBe(0);
  });
});
