import type { Command } from 'commander';
import { handler } from './runtime.js';
import { cell, listTable } from './format.js';

export function registerVersionsCommand(program: Command): void {
  program
    .command('versions <model>')
    .description("list a model's versions with their stage and validation metrics")
    .action(
      handler(async (io, model: string) => {
        io.emit(
          await io.client.listVersions(model),
          listTable('versions', ['VERSION', 'STAGE', 'ACCURACY', 'LATENCY_MS', 'PREDECESSOR', 'REGISTERED'], (v) => {
            const metrics = (v.metrics ?? {}) as Record<string, unknown>;
            return [
              v.version as string,
              v.stage as string,
              cell(metrics.accuracy),
              cell(metrics.latency_ms),
              v.predecessor as string,
              v.created_at as string,
            ];
          }),
        );
      }),
    );
}
