import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { IdempotencyStore } from '../store/types.ts';

/** How long a key is remembered, and after how long a claim whose request never finished (its node died) lapses. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
const LEASE_MS = 60_000;
/** How long a duplicate waits for the first request with its key to finish before it is told to retry. */
const WAIT_MS = 10_000;
const POLL_MS = 50;
const KEY = /^[\x21-\x7e]{1,128}$/;

export interface Reply {
  status: number;
  body: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Run a state-changing request at most once per `Idempotency-Key` (per user): the first request with a key
 * claims it in the store (one claim wins across nodes), runs, and stores its response; a retry with the same
 * key and the same request gets that response again, with `Idempotent-Replayed: true`, and changes nothing.
 * A retry arriving while the first still runs waits for it. Without the header the request simply runs.
 * Responses of 5xx are not kept (the key is released, so a retry runs again).
 */
export async function idempotent(
  req: Request,
  res: Response,
  deps: { store: IdempotencyStore; userId: string; scope: string },
  run: () => Promise<Reply>,
): Promise<void> {
  const key = req.get('Idempotency-Key');
  if (key === undefined) return send(res, await run());
  if (!KEY.test(key)) {
    return send(res, { status: 400, body: { error: { code: 'idempotency/bad_key', message: 'Idempotency-Key must be 1–128 printable ASCII characters.' } } });
  }
  const fingerprint = createHash('sha256').update(JSON.stringify([deps.scope, req.body])).digest('hex');
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const claim = await deps.store.claim(deps.userId, key, fingerprint, new Date(), IDEMPOTENCY_TTL_MS, LEASE_MS);
    if (claim.kind !== 'claimed' && claim.fingerprint !== fingerprint) {
      return send(res, { status: 422, body: { error: { code: 'idempotency/mismatch', message: 'This Idempotency-Key was used for a different request.' } } });
    }
    if (claim.kind === 'done') {
      res.set('Idempotent-Replayed', 'true');
      return void res.status(claim.status).type('application/json').send(claim.body);
    }
    if (claim.kind === 'claimed') {
      let reply: Reply;
      try {
        reply = await run();
      } catch (err) {
        await deps.store.release(deps.userId, key, claim.owner).catch(() => undefined);
        throw err;
      }
      if (reply.status >= 500) await deps.store.release(deps.userId, key, claim.owner);
      else await deps.store.complete(deps.userId, key, claim.owner, reply.status, JSON.stringify(reply.body));
      return send(res, reply);
    }
    if (Date.now() > deadline) {
      return send(res, { status: 409, body: { error: { code: 'idempotency/in_progress', message: 'A request with this Idempotency-Key is still running; retry later.' } } });
    }
    await sleep(POLL_MS);
  }
}

function send(res: Response, reply: Reply): void {
  res.status(reply.status).json(reply.body);
}
