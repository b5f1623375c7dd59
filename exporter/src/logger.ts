import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * JSON lines to stdout, or to `destination` (tests read what an operator would). Authorization
 * headers and token fields never reach a log line.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'token', '*.token', 'secret', '*.secret'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
