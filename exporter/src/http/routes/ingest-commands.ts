import type { IngestResult, Monitor } from '../../ingest/monitor.js';
import { fastValidatePredictions } from '../../ingest/fast-validate.js';
import { parseStoredProfile } from '../../ingest/reference-profile.js';
import type { FeedbackBody, IngestSchemas, KpisBody, PredictionsBody, SchemaLimits } from '../../ingest/schemas.js';
import type { StoredJournalRecord } from '../../store/journal-store.js';
import { parseInput, rejectProblems } from '../validate.js';
import { unknownModel } from './ingest-problems.js';

/**
 * The parse and the check-then-apply step of each ingest endpoint, shared by the live request
 * (which the journal applies after appending it, src/durable/journal.ts) and the journal's
 * replay at start: both run exactly this code, so a replayed batch counts as it did when it
 * was acknowledged, and one refused then is refused again. `apply*` throw the 4xx errors.
 */
export function ingestCommands(monitor: Monitor, schemas: IngestSchemas, limits: SchemaLimits) {
  const commands = {
    parsePredictions: (raw: unknown): PredictionsBody => fastValidatePredictions(raw, limits) ?? parseInput(schemas.predictionsBody, raw),
    /** Throws the 400 when the state refuses the batch (task, positive class). */
    checkPredictions(body: PredictionsBody, positive: string | undefined): void {
      const problems = monitor.checkPredictions(body, positive);
      if (problems.length) rejectProblems(problems);
    },
    applyPredictions(body: PredictionsBody, positive: string | undefined): IngestResult {
      commands.checkPredictions(body, positive);
      return monitor.applyPredictions(body, positive);
    },
    parseFeedback: (raw: unknown): FeedbackBody => parseInput(schemas.feedbackBody, raw),
    /** Throws the 404 (unknown model) or 400 (wrong label type, a third class) when the state refuses the batch. */
    checkFeedback(body: FeedbackBody, positive: string | undefined): void {
      const { unknownModel: unknown, problems } = monitor.checkFeedback(body, positive);
      if (unknown) unknownModel(body.model);
      if (problems.length) rejectProblems(problems);
    },
    applyFeedback(body: FeedbackBody, positive: string | undefined): IngestResult {
      commands.checkFeedback(body, positive);
      return monitor.applyFeedback(body);
    },
    parseKpis: (raw: unknown): KpisBody => parseInput(schemas.kpisBody, raw),
    applyKpis: (body: KpisBody): IngestResult => monitor.applyKpis(body) ?? unknownModel(body.model),

    /** Replays one journal row (throws when it is refused). */
    replay(r: StoredJournalRecord): void {
      const json: unknown = JSON.parse(Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength).toString('utf8'));
      switch (r.kind) {
        case 'predictions':
          commands.applyPredictions(commands.parsePredictions(json), r.positiveClass);
          return;
        case 'feedback':
          commands.applyFeedback(commands.parseFeedback(json), r.positiveClass);
          return;
        case 'kpis':
          commands.applyKpis(commands.parseKpis(json));
          return;
        case 'reference': {
          const { version, profile } = json as { version: string; profile: unknown };
          const parsed = parseStoredProfile(JSON.stringify(profile));
          if (!parsed) throw new Error('unreadable reference profile');
          monitor.applyReference(r.model, version, parsed);
          return;
        }
        default:
          throw new Error(`unknown journal kind ${String(r.kind)}`);
      }
    },
  };
  return commands;
}

export type IngestCommands = ReturnType<typeof ingestCommands>;
