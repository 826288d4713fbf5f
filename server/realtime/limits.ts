/**
 * Request limits of socket commands. A command is expensive (a snapshot reads hundreds of incidents), so:
 * one of each kind in flight per socket, a token bucket per socket and one per user (shared by that user's
 * sockets on this node), and a socket that keeps hitting the limits is disconnected.
 */
export const LIMITS = {
  socket: { burst: 10, perSecond: 5 },
  user: { burst: 30, perSecond: 15 },
  /** Refusals within STRIKE_WINDOW_MS after which the socket is dropped. */
  strikes: 20,
  strikeWindowMs: 10_000,
} as const;

/** A classic token bucket: `burst` tokens, refilled at `perSecond`; take() spends one if there is one. */
export class TokenBucket {
  private tokens: number;
  private at = Date.now();

  constructor(private readonly burst: number, private readonly perSecond: number) {
    this.tokens = burst;
  }

  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Per-user buckets, shared by the user's sockets on this node and dropped with the last one. */
export class UserBuckets {
  private readonly users = new Map<string, { bucket: TokenBucket; sockets: number }>();

  acquire(userId: string): TokenBucket {
    let entry = this.users.get(userId);
    if (!entry) this.users.set(userId, (entry = { bucket: new TokenBucket(LIMITS.user.burst, LIMITS.user.perSecond), sockets: 0 }));
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
