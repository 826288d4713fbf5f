/**
 * Vitest global setup of the e2e project: build the client when dist/client is missing or stale, so the
 * tests always drive the current code, and check that a Chromium is there to drive it.
 */
import { ensureClientBuilt } from '../../scripts/build-client.ts';
import { findChromium, noChromiumMessage } from '../../scripts/chromium.ts';

export default async function setup(): Promise<void> {
  const chrome = findChromium();
  if (!chrome) {
    const message = `e2e: ${noChromiumMessage()}`;
    if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(message);
    console.warn(`${message}; browser tests will fail`);
  }
  await ensureClientBuilt({ logLevel: 'warn' });
}
