import type { Command } from 'commander';
import { handler } from './runtime.js';
import { buildRegisterBody, collect, type RegisterFlags } from './register-body.js';

export function registerRegisterCommand(program: Command): void {
  program
    .command('register <model> <version>')
    .description('register a model version with its validation metrics and lineage')
    .option('--accuracy <ratio>', 'validation accuracy (0..1)')
    .option('--latency-ms <ms>', 'validation latency in milliseconds')
    .option('--metric <name=value>', 'another validation metric (repeatable)', collect)
    .option('--data-version <id>', 'training data version')
    .option('--code-commit <sha>', 'code commit the model was trained from')
    .option('--param <name=value>', 'hyperparameter (repeatable)', collect)
    .option('--env <name=value>', 'training environment entry, e.g. python=3.11 (repeatable)', collect)
    .option('--artifact-uri <uri>', 'where the model artifact is stored')
    .option('--tag <name=value>', 'tag (repeatable)', collect)
    .option('--parent <version>', 'version this one was derived from')
    .option('--description <text>', 'free-text description')
    .option('--from-file <path>', 'JSON request body to start from (flags override its fields)')
    .action(
      handler(async (io, model: string, version: string, flags: RegisterFlags) => {
        const body = buildRegisterBody(version, flags);
        const created = (await io.client.registerVersion(model, body)) as Record<string, unknown>;
        io.emit(created, (v) => `registered ${model} ${v.version} in ${v.stage}`);
      }),
    );
}
