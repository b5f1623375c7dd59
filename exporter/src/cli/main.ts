#!/usr/bin/env node
import { Command } from 'commander';
import { BUILD_VERSION } from '../version.js';
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
  .addHelpText('after', '\n`modelwatch --version` (or -V) prints the version.');
// Not commander's .version(): its root --version would swallow `status <model> --version <v>`.
if (process.argv[2] === '--version' || process.argv[2] === '-V') {
  process.stdout.write(`${BUILD_VERSION}\n`);
  process.exit(0);
}
program.exitOverride((err) => {
  // commander's own errors (unknown option, missing argument) are usage errors.
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
  process.exit(2);
});
registerServeCommand(program);
registerClientCommands(program);
await program.parseAsync(process.argv);
