import type { Command } from 'commander';
import { handler } from './runtime.js';
import { listTable } from './format.js';

interface ModelsFlags {
  includeArchived?: boolean;
  limit?: string;
}

/**
 * `models [--include-archived] [--limit <n>]`: GET /models with the query it supports
 * (`include_archived`, `limit`; the exporter validates both). Archived (retired) models are left
 * out unless asked for, as the API leaves them out; when asked for, an ARCHIVED column says when.
 */
export function registerModelsCommand(program: Command): void {
  program
    .command('models')
    .description('list registered models and what is in production')
    .option('--include-archived', 'also list archived (retired) models, with when each was archived')
    .option('--limit <n>', 'at most this many models, by name (default 1000, at most 10000)')
    .action(
      handler(async (io, flags: ModelsFlags) => {
        const archived = flags.includeArchived === true;
        const headers = ['MODEL', 'TEAM', 'PRODUCTION', 'GATES', 'CREATED'];
        io.emit(
          await io.client.listModels({ include_archived: archived ? 'true' : undefined, limit: flags.limit }),
          listTable('models', archived ? [...headers, 'ARCHIVED'] : headers, (m) => {
            const row = [
              m.name as string,
              m.team as string,
              m.production_version as string,
              m.gates_overridden ? 'custom' : 'default',
              m.created_at as string,
            ];
            return archived ? [...row, m.archived_at as string | null] : row;
          }),
        );
      }),
    );
}
