/*
 * Runs the harness by hand (`npm run harness -w grafana-plugin`): builds the plugin and the harness
 * host bundle from the current source, then starts a real exporter (seeded), Debian's Prometheus
 * when installed, and the harness in front of them, and prints the URL to open.
 */
import fs from 'node:fs';
import type { HarnessDatasource } from './datasources';
import { PROMETHEUS_BIN, startExporter, startPrometheus, type RunningPrometheus } from '@modelwatch/test-support';
import { buildForHarness, harnessDirs } from './build';
import { seedRegistry } from './seed';
import { startHarness } from './server';
import { seedLiveTraffic } from './traffic';

async function main(): Promise<void> {
  process.stdout.write('harness: building the plugin and the harness host…\n');
  const dirs = harnessDirs();
  await buildForHarness(dirs);
  const exporter = await startExporter();
  const { operatorToken } = await seedRegistry(exporter);
  // With Debian's Prometheus installed, the models list gets live metrics as in Grafana.
  let prometheus: RunningPrometheus | undefined;
  const datasources: HarnessDatasource[] = [];
  if (fs.existsSync(PROMETHEUS_BIN)) {
    prometheus = await startPrometheus({ targets: [new URL(exporter.url).host] });
    await seedLiveTraffic(exporter, prometheus);
    datasources.push({
      uid: 'modelwatch-prometheus',
      name: 'Prometheus',
      type: 'prometheus',
      url: prometheus.url,
      jsonData: { timeInterval: '1s', httpMethod: 'POST' },
      isDefault: true,
    });
  } else process.stdout.write(`${PROMETHEUS_BIN} not found: no Prometheus datasource, no live metrics\n`);
  const harness = await startHarness({
    pluginDist: dirs.pluginDist,
    hostDist: dirs.hostDist,
    settings: { jsonData: { exporterUrl: exporter.url }, secureJsonData: { exporterToken: operatorToken } },
    role: (process.env.HARNESS_ROLE as 'Viewer' | 'Editor' | 'Admin') ?? 'Editor',
    datasources,
  });
  process.stdout.write(
    `harness: ${harness.url}/a/modelwatch-app/models  (exporter ${exporter.url}${prometheus ? `, prometheus ${prometheus.url}` : ''})\n`,
  );
  const stop = async () => {
    await harness.close();
    await prometheus?.stop();
    await exporter.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`harness: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
