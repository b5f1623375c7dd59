/* Runs the harness by hand: a real exporter, seeded, and the harness in front of it. */
import fs from 'node:fs';
import path from 'node:path';
import type { HarnessDatasource } from './datasources';
import { PROMETHEUS_BIN, startExporter, startPrometheus, type RunningPrometheus } from '@modelwatch/test-support';
import { seedRegistry } from './seed';
import { startHarness } from './server';
import { seedLiveTraffic } from './traffic';

async function main(): Promise<void> {
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
    pluginDist: path.resolve(__dirname, '..', 'dist'),
    hostDist: path.resolve(__dirname, 'dist'),
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

void main();
