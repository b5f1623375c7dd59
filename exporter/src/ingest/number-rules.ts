import { z } from 'zod';
import { MAX_MAGNITUDE } from '../stats/index.js';

/**
 * The numbers a client sends, each with one message for every way it can be refused. JSON has
 * no Infinity, but a number beyond float64 (1e400) parses to it; zod would answer "Invalid input"
 * (inside a union) or "expected number, received Infinity", neither naming the rule. Each field
 * here says what it accepts instead, so a 400 names the field and its bound (issue 11 §1).
 */

/** Values that enter window sums (predictions, labels, features, KPIs): finite, |x| ≤ 1e100 (stats/magnitude.ts). */
export const MAGNITUDE_MESSAGE = `must be a finite number with magnitude at most ${MAX_MAGNITUDE}`;
export const PROBABILITY_MESSAGE = 'must be a probability: a finite number from 0 to 1';

/** A finite number in [min, max]; anything else (Infinity, out of range, not a number) gets `message`. */
export function boundedNumber(min: number, max: number, message: string) {
  return z.number({ error: message }).min(min, message).max(max, message);
}

/** Numbers kept as given (registry metrics, gates, hyperparameters): JSON would store Infinity as null. */
export const FINITE_MESSAGE = 'must be a finite number';
export const finiteNumber = () => z.number({ error: FINITE_MESSAGE });

/** A finite number of magnitude at most MAX_MAGNITUDE. */
export const magnitudeNumber = () => boundedNumber(-MAX_MAGNITUDE, MAX_MAGNITUDE, MAGNITUDE_MESSAGE);

/** A probability (score, a class's share of scores). */
export const probability = () => boundedNumber(0, 1, PROBABILITY_MESSAGE);

/**
 * A union that holds a number schema among other kinds: refused as a whole, a number input
 * gets `numberMessage` (zod's union says only "Invalid input"), anything else `otherMessage`.
 * A number the number member refuses by its bounds keeps that member's message.
 */
export function withNumber<const T extends readonly [z.ZodType, ...z.ZodType[]]>(options: T, numberMessage: string, otherMessage: string) {
  return z.union(options, { error: (issue) => (typeof issue.input === 'number' ? numberMessage : otherMessage) });
}
