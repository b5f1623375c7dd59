#!/usr/bin/env node
import { Command } from 'commander';
import { registerServeCommand } from './serve.js';
import { registerClientCommands } from './commands/index.js';

/**
 * Exit codes (for CI pipelines): 0 ok, 1 refused by a gate or conflict, 2 usage error, 3 auth,
 * 4 unreachable; 5 (bin/modelwatch.js) not built.
 */
const program = new Command();
program
  .name('modelwatch')
  .description('modelwatch exporter and registry client')
  .version(process.env.npm_package_version ?? '0.1.0');
program.exitOverride((err) => {
  // commander's own errors (unknown option, missing argument) are usage errors.
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
  process.exit(2);
});
registerServeCommand(program);
registerClientCommands(program);
await program.parseAsync(process.argv);
