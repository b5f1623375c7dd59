import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../error-codes.js';

/** The body of every error response (error-codes.ts); documented once as the `Error` component. */
export const ErrorSchema = z.object({
  error: z.string().describe('what went wrong, for humans (may change between releases)'),
  code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).describe('stable machine-readable code (docs/errors.md)'),
  details: z.unknown().optional().describe('structured detail: the bad fields, the failed gates, …'),
});
