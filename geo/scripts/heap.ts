/** Binary min-heap of integer values keyed by a float priority; ties broken by value for determinism. */
export class MinHeap {
  private keys: number[] = [];
  private vals: number[] = [];

  get size(): number {
    return this.vals.length;
  }

  push(key: number, val: number): void {
    const keys = this.keys;
    const vals = this.vals;
    let i = vals.length;
    keys.push(key);
    vals.push(val);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(key, val, keys[p]!, vals[p]!)) break;
      keys[i] = keys[p]!;
      vals[i] = vals[p]!;
      i = p;
    }
    keys[i] = key;
    vals[i] = val;
  }

  /** Removes and returns the value with the smallest key, or -1 when empty. */
  pop(): number {
    const keys = this.keys;
    const vals = this.vals;
    const n = vals.length;
    if (n === 0) return -1;
    const top = vals[0]!;
    const lastKey = keys.pop()!;
    const lastVal = vals.pop()!;
    if (n === 1) return top;
    let i = 0;
    const m = n - 1;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= m) break;
      const r = l + 1;
      const c = r < m && this.less(keys[r]!, vals[r]!, keys[l]!, vals[l]!) ? r : l;
      if (!this.less(keys[c]!, vals[c]!, lastKey, lastVal)) break;
      keys[i] = keys[c]!;
      vals[i] = vals[c]!;
      i = c;
    }
    keys[i] = lastKey;
    vals[i] = lastVal;
    return top;
  }

  private less(ka: number, va: number, kb: number, vb: number): boolean {
    return ka < kb || (ka === kb && va < vb);
  }
}
