/**
 * Request limits of socket commands. A command is expensive (a snapshot reads hundreds of incidents), so:
 * one of each kind in flight per socket, a token bucket per socket and one per user (shared by that user's
 * sockets on this node), and a socket that keeps hitting the limits is disconnected.
 */
export interface BucketSize {
  burst: number;
  perSecond: number;
}

export const LIMITS = {
  /** A client resyncs at most once per heartbeat; a burst covers a reconnect and a few region changes. */
  socket: { burst: 10, perSecond: 2 } satisfies BucketSize,
  /** Default of SOCKET_USER_LIMIT: all the wall screens share the `wall` account, so leave room for them. */
  user: { burst: 100, perSecond: 20 } satisfies BucketSize,
  /** Refusals within STRIKE_WINDOW_MS after which the socket is dropped. */
  strikes: 20,
  strikeWindowMs: 10_000,
} as const;

/** A classic token bucket: `burst` tokens, refilled at `perSecond`; take() spends one if there is one. */
export class TokenBucket {
  private tokens: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private at = Date.now(),
  ) {
    this.tokens = burst;
  }

  take(now = Date.now()): boolean {
    // A clock stepping back refills nothing rather than draining the bucket.
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.at) / 1000) * this.perSecond);
    this.at = Math.max(now, this.at);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Per-user buckets, shared by the user's sockets on this node and dropped with the last one. */
export class UserBuckets {
  private readonly users = new Map<string, { bucket: TokenBucket; sockets: number }>();

  constructor(private readonly size: BucketSize = LIMITS.user) {}

  acquire(userId: string): TokenBucket {
    let entry = this.users.get(userId);
    if (!entry) this.users.set(userId, (entry = { bucket: new TokenBucket(this.size.burst, this.size.perSecond), sockets: 0 }));
    entry.sockets++;
    return entry.bucket;
  }

  release(userId: string): void {
    const entry = this.users.get(userId);
    if (entry && --entry.sockets <= 0) this.users.delete(userId);
  }
}

/** Counts refusals in a sliding window; true once the socket has earned a disconnect. */
export class Strikes {
  private times: number[] = [];

  add(now = Date.now()): boolean {
    this.times = this.times.filter((t) => now - t < LIMITS.strikeWindowMs);
    this.times.push(now);
    return this.times.length >= LIMITS.strikes;
  }
}
