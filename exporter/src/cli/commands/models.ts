import type { Command } from 'commander';
import { handler } from './runtime.js';
import { listOf, table } from './format.js';

export function registerModelsCommand(program: Command): void {
  program
    .command('models')
    .description('list registered models and what is in production')
    .action(
      handler(async (io) => {
        io.emit(await io.client.listModels(), (value) =>
          table(
            ['MODEL', 'TEAM', 'PRODUCTION', 'VERSIONS'],
            listOf(value, 'models').map((m) => [m.name as string, m.team as string, (m.production_version ?? m.productionVersion) as string, (m.version_count ?? m.versions) as number]),
          ),
        );
      }),
    );
}
