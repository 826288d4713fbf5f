import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'gridops' },
    redact: { paths: ['req.headers.authorization', 'token', 'password'], censor: '[redacted]' },
  });
}
