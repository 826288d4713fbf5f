/**
 * A client-made id (an Idempotency-Key, an outbox item's id): 32 hex digits from crypto.getRandomValues.
 * crypto.randomUUID exists only in secure contexts (HTTPS or localhost), and a street office's LAN deployment is
 * plain HTTP on its own address: there it is undefined, and every desk action that called it failed.
 */
export function clientId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
