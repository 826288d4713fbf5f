import { spawn, type ChildProcess } from 'node:child_process';

/** `server/main.ts` in a child process, as `npm start` runs it, for tests that need the real process (signals, crashes). */
export interface ServerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves with the URL from the listening log line. */
  listening(timeoutMs?: number): Promise<string>;
}

export function spawnServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'info', SIMULATOR: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    listening: (timeoutMs = 20_000) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const m = /"url":"(http:\/\/[^"]+)"[^\n]*listening/.exec(out);
          if (!m) return false;
          clearTimeout(timer);
          child.stdout!.off('data', check);
          resolve(m[1]!);
          return true;
        };
        const timer = setTimeout(() => reject(new Error(`no listening line:\n${out}`)), timeoutMs);
        if (!check()) child.stdout!.on('data', check);
        void exited.then(() => reject(new Error(`server exited before listening:\n${out}`)));
      }),
  };
}
