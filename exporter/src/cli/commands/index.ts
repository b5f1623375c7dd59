import type { Command } from 'commander';

/** Registry client commands (models, versions, register, promote, rollback, audit, tokens). */
export function registerClientCommands(_program: Command): void {}
