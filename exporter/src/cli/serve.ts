import type { Command } from 'commander';
import { environmentVariables, loadConfig, ConfigError } from '../config/config.js';
import { ListenError } from '../http/listen.js';
import { DataDirLockedError } from '../store/data-dir-locked-error.js';
import { InstanceLockedError } from '../store/instance-locked-error.js';
import { startBanner } from './start-banner.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the exporter (ingest, registry, /metrics)')
    .option('--demo', 'generate demo traffic so /metrics shows real series at once')
    .addHelpText('after', environmentHelp)
    .action(async (opts: { demo?: boolean }) => {
      let config;
      try {
        config = loadConfig();
      } catch (err) {
        if (err instanceof ConfigError) {
          process.stderr.write(`${err.message}\n`);
          process.exit(2);
        }
        throw err;
      }
      // Loaded here so that client commands (promote, rollback, …) start fast without the server.
      const { startServer } = await import('../app/root.js');
      const running = await startServer({ config, demo: opts.demo === true }).catch((err: unknown) => {
        // one line for the operator, no stack: the message says what to change
        if (!(err instanceof ListenError || err instanceof DataDirLockedError || err instanceof InstanceLockedError)) throw err;
        process.stderr.write(`modelwatch: ${err.message}\n`);
        return process.exit(2);
      });
      process.stdout.write(
        startBanner({
          host: config.host,
          port: running.port,
          url: running.url,
          store: running.parts.database.dialect,
          sqlitePath: config.sqlitePath,
          demo: opts.demo === true,
          generatedAdminToken: running.generatedAdminToken,
          adminTokenFromEnv: config.adminToken !== undefined,
        }),
      );
      const stop = async () => {
        await running.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

/** `serve --help`'s list of the environment it reads, from the config schema itself. */
function environmentHelp(): string {
  const vars = environmentVariables();
  const width = Math.max(...vars.map((v) => v.name.length));
  const lines = vars.map((v) => `  ${v.name.padEnd(width)}  ${v.default === undefined ? '(unset)' : v.default}`);
  return `\nEnvironment (variable, default; see the README's Configuration table):\n${lines.join('\n')}\n`;
}
