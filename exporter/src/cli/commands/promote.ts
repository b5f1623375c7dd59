import type { components } from '../../api/openapi-types.js';
import type { Command } from 'commander';
import { handler } from './runtime.js';

interface PromoteFlags {
  to: string;
  reason: string;
  force?: boolean;
  allowEmptyProduction?: boolean;
}

export function registerPromoteCommand(program: Command): void {
  program
    .command('promote <model> <version>')
    .description('move a version to another stage; refused (exit 1) when a quality gate fails')
    .requiredOption('--to <stage>', 'target stage: staging, production or archived (development to go back)')
    .requiredOption('--reason <text>', 'why, for the audit log')
    .option('--force', 'skip the quality gates (admin token; recorded in the audit log)')
    .option('--allow-empty-production', 'confirm moving the production version out with no replacement (recorded in the audit log)')
    .action(
      handler(async (io, model: string, version: string, flags: PromoteFlags) => {
        const result = (await io.client.transition(model, version, {
          // the exporter validates the stage name (400 listing the stages)
          to: flags.to as components['schemas']['TransitionVersionRequest']['to'],
          reason: flags.reason,
          ...(flags.force ? { force: true } : {}),
          ...(flags.allowEmptyProduction ? { allow_empty_production: true } : {}),
        })) as Record<string, unknown>;
        io.emit(result, () => {
          const lines = [`${model} ${version}: ${result.from} → ${result.to}${result.forced ? ' (forced past failing gates)' : ''}`];
          if (result.archived_version) lines.push(`${model} ${result.archived_version}: production → archived (replaced)`);
          return lines.join('\n');
        });
      }),
    );
}
