import type { Command } from 'commander';
import { handler } from './runtime.js';
import { listTable } from './format.js';

export function registerModelsCommand(program: Command): void {
  program
    .command('models')
    .description('list registered models and what is in production')
    .action(
      handler(async (io) => {
        io.emit(
          await io.client.listModels(),
          listTable('models', ['MODEL', 'TEAM', 'PRODUCTION', 'GATES', 'CREATED'], (m) => [
            m.name as string,
            m.team as string,
            m.production_version as string,
            m.gates_overridden ? 'custom' : 'default',
            m.created_at as string,
          ]),
        );
      }),
    );
}
