import type { Command } from 'commander';
import { loadConfig, ConfigError } from '../config/config.js';
import { ListenError } from '../http/listen.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the exporter (ingest, registry, /metrics)')
    .option('--demo', 'generate demo traffic so /metrics shows real series at once')
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
      const [{ startServer }, { demoTrafficFeature }] = await Promise.all([import('../server.js'), import('../demo/feature.js')]);
      const running = await startServer({ config, extraFeatures: opts.demo ? [demoTrafficFeature] : [] }).catch((err: unknown) => {
        if (!(err instanceof ListenError)) throw err;
        process.stderr.write(`modelwatch: ${err.message}\n`);
        return process.exit(2);
      });
      if (running.generatedAdminToken) {
        // Printed once, on the start that created it; only its hash is stored.
        process.stdout.write(
          `\nGenerated bootstrap admin token (shown once; set MODELWATCH_ADMIN_TOKEN to choose your own):\n  ${running.generatedAdminToken}\n\n`,
        );
      }
      const stop = async () => {
        await running.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
