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
    .option('--positive-class <class>', "binary models: the class the score is the probability of (set on the model's registry entry)")
    .option('--from-file <path>', 'JSON request body to start from (flags override its fields)')
    .action(
      handler(async (io, model: string, version: string, flags: RegisterFlags & { positiveClass?: string }) => {
        const { positiveClass, ...rest } = flags;
        const body = buildRegisterBody(version, rest);
        const created = (await io.client.registerVersion(model, body)) as Record<string, unknown>;
        // the positive class belongs to the model, not the version: set after the version (which may create the model)
        if (positiveClass !== undefined) await io.client.setPositiveClass(model, { positive_class: positiveClass });
        io.emit(created, (v) => `registered ${model} ${v.version} in ${v.stage}`);
      }),
    );
}
