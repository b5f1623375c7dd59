import { pino, type Logger } from 'pino';

export type { Logger };

/** Authorization headers and token fields never reach a log line. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'token', '*.token', 'secret', '*.secret'],
      censor: '[redacted]',
    },
  });
}
