/* Runs the harness by hand: a real exporter, seeded, and the harness in front of it. */
import path from 'node:path';
import { startExporter } from './exporter';
import { seedRegistry } from './seed';
import { startHarness } from './server';

async function main(): Promise<void> {
  const exporter = await startExporter();
  const { operatorToken } = await seedRegistry(exporter);
  const harness = await startHarness({
    pluginDist: path.resolve(__dirname, '..', 'dist'),
    hostDist: path.resolve(__dirname, 'dist'),
    settings: { jsonData: { exporterUrl: exporter.url }, secureJsonData: { exporterToken: operatorToken } },
    role: (process.env.HARNESS_ROLE as 'Viewer' | 'Editor' | 'Admin') ?? 'Editor',
  });
  process.stdout.write(`harness: ${harness.url}/a/modelwatch-app/models  (exporter ${exporter.url})\n`);
  const stop = async () => {
    await harness.close();
    await exporter.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
