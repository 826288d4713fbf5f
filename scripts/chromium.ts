import { accessSync, constants } from 'node:fs';

/** Where we look for a Chromium when CHROME_PATH is not set (Debian's package first). */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const CHROMIUM_INSTALL_HINT =
  'install it with: sudo apt-get install -y chromium fonts-wqy-microhei (or set CHROME_PATH)';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium the end-to-end tests drive: CHROME_PATH when set (it must exist), else the first of the usual
 * system paths that exists. Never a downloaded browser: `npx playwright install` does not work on these machines.
 */
export function findChromium(env: Record<string, string | undefined> = process.env): string | null {
  const explicit = env.CHROME_PATH?.trim();
  if (explicit) return isExecutable(explicit) ? explicit : null;
  return CHROMIUM_CANDIDATES.find(isExecutable) ?? null;
}

/** One line saying why no Chromium was found, for logs and errors. */
export function noChromiumMessage(env: Record<string, string | undefined> = process.env): string {
  const explicit = env.CHROME_PATH?.trim();
  const where = explicit
    ? `CHROME_PATH=${explicit} is not an executable file`
    : `no Chromium found (looked at ${CHROMIUM_CANDIDATES.join(', ')})`;
  return `${where} — ${CHROMIUM_INSTALL_HINT}`;
}
