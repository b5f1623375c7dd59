import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { binaryExists, PROMTOOL_BIN } from '@modelwatch/test-support';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DASHBOARDS } from '../src/dashboards/index.js';
import { PROVISIONED_PROMETHEUS_UID } from '../src/shared/datasource.js';
import { APP_PLUGIN_ID } from '../src/shared/links.js';
import { recordingRuleFiles } from './helpers/known-metrics.js';
import { PROMETHEUS_CONFIG, REPO_ROOT } from './helpers/paths.js';
import { config as rulesConfig } from '../../alert-rules/src/config.js';
import { parseDockerfile } from '../../exporter/test/docs/dockerfile-steps.js';

const DOCKER_COMPOSE_BIN = '/usr/bin/docker-compose';
const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');
const readYaml = <T>(rel: string): T => parse(fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8')) as T;

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  entrypoint?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  ports?: string[];
}
const compose = () => readYaml<{ services: Record<string, ComposeService> }>('docker-compose.yml');

/** `./host/path:/container/path[:ro]` → [host, container] for bind mounts (named volumes have no "./"). */
const bindMounts = (s: ComposeService): Array<[string, string]> =>
  (s.volumes ?? []).filter((v) => v.startsWith('./')).map((v) => v.split(':').slice(0, 2) as [string, string]);

describe.skipIf(!binaryExists(PROMTOOL_BIN))('provisioning/prometheus/prometheus.yml', () => {
  /** The config as mounted in compose: rules from alert-rules/generated appear at ./rules beside it. */
  function composeLayout(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-promtool-'));
    fs.copyFileSync(PROMETHEUS_CONFIG, path.join(dir, 'prometheus.yml'));
    fs.symlinkSync(path.join(REPO_ROOT, 'alert-rules', 'generated'), path.join(dir, 'rules'));
    return dir;
  }

  it('passes promtool check config, rules included', () => {
    const dir = composeLayout();
    try {
      const r = spawnSync(PROMTOOL_BIN, ['check', 'config', path.join(dir, 'prometheus.yml')], { encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('SUCCESS');
      // The alert-rules engineer's generated files are checked through rule_files, each by name.
      const rules = recordingRuleFiles();
      if (rules.length === 0) console.warn('alert-rules/generated has no rule files yet: checked the config without rules');
      for (const f of rules) expect(r.stdout + r.stderr).toContain(`rules/${path.basename(f)}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is rejected by promtool when broken (the check above can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-promtool-'));
    try {
      const broken = fs.readFileSync(PROMETHEUS_CONFIG, 'utf8').replace('scrape_interval: 15s', 'scrape_interval: fifteen');
      fs.writeFileSync(path.join(dir, 'prometheus.yml'), broken);
      const r = spawnSync(PROMTOOL_BIN, ['check', 'config', path.join(dir, 'prometheus.yml')], { encoding: 'utf8' });
      expect(r.status).not.toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('scrapes the compose exporter and sends alerts to the compose Alertmanager', () => {
    const cfg = parse(fs.readFileSync(PROMETHEUS_CONFIG, 'utf8')) as {
      scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }>;
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
      rule_files: string[];
    };
    const targets = cfg.scrape_configs.flatMap((s) => s.static_configs.flatMap((c) => c.targets));
    expect(targets).toContain('exporter:9400');
    expect(cfg.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['alertmanager:9093']);
    const prom = compose().services.prometheus;
    const mounts = Object.fromEntries(bindMounts(prom));
    expect(mounts['./alert-rules/generated']).toBe('/etc/prometheus/rules');
    expect(cfg.rule_files).toEqual(['rules/*.yml']);
  });

  it('names the exporter job as the alert rules select it, so rules and automatic rollback see its series', () => {
    const cfg = parse(fs.readFileSync(PROMETHEUS_CONFIG, 'utf8')) as {
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const exporterJob = cfg.scrape_configs.find((s) => s.static_configs.some((c) => c.targets.includes('exporter:9400')));
    const selected = /^job="([^"]+)"$/.exec(rulesConfig.exporterSelector);
    expect(selected, `exporterSelector ${rulesConfig.exporterSelector} is not a plain job matcher`).not.toBeNull();
    expect(exporterJob?.job_name).toBe(selected![1]);
  });
});

describe.skipIf(!binaryExists(DOCKER_COMPOSE_BIN))('docker-compose.yml', () => {
  it('is valid for docker-compose config', () => {
    const r = spawnSync(DOCKER_COMPOSE_BIN, ['-f', COMPOSE_FILE, 'config', '-q'], {
      encoding: 'utf8',
      cwd: REPO_ROOT,
      env: { ...process.env, MODELWATCH_ADMIN_TOKEN: '' },
    });
    expect(r.status, r.stderr).toBe(0);
  });

  it('runs exporter, demo traffic, Prometheus, Alertmanager and Grafana, with Grafana on 3000', () => {
    const s = compose().services;
    expect(Object.keys(s).sort()).toEqual(['alertmanager', 'demo-traffic', 'exporter', 'grafana', 'prometheus']);
    expect(s.exporter.build).toEqual({ context: '.', dockerfile: 'exporter/Dockerfile' });
    expect(fs.existsSync(path.join(REPO_ROOT, 'exporter', 'Dockerfile'))).toBe(true);
    expect(s.grafana.ports).toContain('3000:3000');
    expect(s.grafana.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).toBe(APP_PLUGIN_ID);
    expect(s.grafana.environment?.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:-.+\}$/);
  });

  it('gives Alertmanager the webhook token file its config reads, from the environment', () => {
    const am = readYaml<{
      receivers: Array<{ webhook_configs?: Array<{ url: string; http_config?: { authorization?: { credentials_file?: string } } }> }>;
    }>('provisioning/alertmanager/alertmanager.yml');
    const hooks = am.receivers.flatMap((r) => r.webhook_configs ?? []).filter((w) => w.url.endsWith('/api/v1/alertmanager/webhook'));
    expect(hooks.map((w) => w.url)).toEqual(['http://exporter:9400/api/v1/alertmanager/webhook']);
    const file = hooks[0].http_config?.authorization?.credentials_file;
    expect(file).toBeTruthy();
    const svc = compose().services.alertmanager as ComposeService & { command?: string[] };
    expect(svc.command?.join(' ')).toContain(`> ${file}`);
    expect(svc.environment?.MODELWATCH_WEBHOOK_TOKEN).toBeTruthy();
  });

  /**
   * Each service's environment as its process sees it: `docker-compose config` resolves the
   * variables from `env`, then a service whose entrypoint is provisioning/tokens.sh gets what
   * that script exports (run here with `env` in place of the service's own program).
   */
  function servicesEnv(env: Record<string, string>): Record<string, Record<string, string>> {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(MODELWATCH_|GRAFANA_)/.test(k)));
    const resolved = parse(
      execFileSync(DOCKER_COMPOSE_BIN, ['-f', COMPOSE_FILE, 'config'], { encoding: 'utf8', cwd: REPO_ROOT, env: { ...clean, ...env } }),
    ) as {
      services: Record<string, { environment?: Record<string, string | null>; entrypoint?: string[] }>;
    };
    const out: Record<string, Record<string, string>> = {};
    for (const [name, svc] of Object.entries(resolved.services)) {
      const environment = Object.fromEntries(Object.entries(svc.environment ?? {}).map(([k, v]) => [k, v ?? '']));
      const mounts = Object.fromEntries(bindMounts(compose().services[name]).map(([host, target]) => [target, host]));
      const script = svc.entrypoint?.[1] !== undefined ? mounts[svc.entrypoint[1]] : undefined;
      if (svc.entrypoint?.[0] !== '/bin/sh' || script !== './provisioning/tokens.sh') {
        out[name] = environment;
        continue;
      }
      const r = spawnSync('/bin/sh', [path.join(REPO_ROOT, script), 'env', '-0'], {
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin', ...environment },
      });
      expect(r.status, r.stderr).toBe(0);
      out[name] = Object.fromEntries(
        r.stdout
          .split('\0')
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
    }
    return out;
  }

  /** The token Grafana provisions into the app: secureJsonData's $VARIABLE, from Grafana's environment. */
  function grafanaAppToken(env: Record<string, Record<string, string>>): string | undefined {
    const apps = readYaml<{ apps: Array<{ secureJsonData: Record<string, string> }> }>(
      'provisioning/grafana/plugins/modelwatch-app.yml',
    ).apps;
    const variable = /^\$\{?(\w+)\}?$/.exec(apps[0].secureJsonData.exporterToken)![1];
    return env.grafana[variable];
  }

  it('derives every token from MODELWATCH_ADMIN_TOKEN alone, so the app is not left on an old default (issue 14)', () => {
    const admin = 'a-token-the-user-chose-0123456789';
    const env = servicesEnv({ MODELWATCH_ADMIN_TOKEN: admin });
    expect(env.exporter.MODELWATCH_ADMIN_TOKEN).toBe(admin);
    expect(grafanaAppToken(env)).toBe(admin);
    expect(env.alertmanager.MODELWATCH_WEBHOOK_TOKEN).toBe(admin);
    expect(env['demo-traffic'].MODELWATCH_TOKEN).toBe(admin);
    expect(env.exporter.MODELWATCH_GRAFANA_TOKEN_ID).toBe('');
    // Nothing is left holding the demo default.
    expect(JSON.stringify(env)).not.toContain('change-me');
  });

  it('gives Grafana a minted MODELWATCH_GRAFANA_TOKEN and tells the exporter its id', () => {
    const grafanaToken = `mw_abcdefghij12_${'S'.repeat(20)}_${'t'.repeat(22)}`;
    const env = servicesEnv({ MODELWATCH_ADMIN_TOKEN: 'a-token-the-user-chose-0123456789', MODELWATCH_GRAFANA_TOKEN: grafanaToken });
    expect(grafanaAppToken(env)).toBe(grafanaToken);
    expect(env.exporter.MODELWATCH_GRAFANA_TOKEN_ID).toBe('abcdefghij12');
    expect(env.alertmanager.MODELWATCH_WEBHOOK_TOKEN).toBe('a-token-the-user-chose-0123456789');
    // An explicit id wins; a token that is not minted (mw_<id>_…) yields no id.
    expect(
      servicesEnv({ MODELWATCH_GRAFANA_TOKEN: grafanaToken, MODELWATCH_GRAFANA_TOKEN_ID: 'zzzzzzzzzzzz' }).exporter
        .MODELWATCH_GRAFANA_TOKEN_ID,
    ).toBe('zzzzzzzzzzzz');
    expect(servicesEnv({ MODELWATCH_GRAFANA_TOKEN: 'mw_short_secret-secret-secret' }).exporter.MODELWATCH_GRAFANA_TOKEN_ID).toBe('');
  });

  it("keeps each image's own program after provisioning/tokens.sh", () => {
    const exporterEntrypoint = parseDockerfile(fs.readFileSync(path.join(REPO_ROOT, 'exporter', 'Dockerfile'), 'utf8'))
      .at(-1)!
      .steps.find((s) => s.instruction === 'ENTRYPOINT')!.args;
    const s = compose().services;
    expect(s.exporter.entrypoint?.slice(2)).toEqual(JSON.parse(exporterEntrypoint));
    // grafana/grafana's own ENTRYPOINT (packaging/docker/run.sh in grafana/grafana).
    expect(s.grafana.entrypoint?.slice(2)).toEqual(['/run.sh']);
  });

  it('bind-mounts only paths that exist in the repository (grafana-plugin/dist is build output)', () => {
    const resolved = execFileSync(DOCKER_COMPOSE_BIN, ['-f', COMPOSE_FILE, 'config'], { encoding: 'utf8', cwd: REPO_ROOT });
    expect(resolved).toContain(path.join(REPO_ROOT, 'dashboards', 'generated'));
    for (const [name, svc] of Object.entries(compose().services)) {
      for (const [host] of bindMounts(svc)) {
        if (host === './grafana-plugin/dist') continue;
        expect(fs.existsSync(path.join(REPO_ROOT, host)), `${name} mounts missing ${host}`).toBe(true);
      }
    }
  });
});

describe('provisioning/grafana', () => {
  it('provisions the Prometheus datasource with the uid the dashboards default to', () => {
    const ds = readYaml<{ datasources: Array<{ uid: string; type: string; url: string }> }>(
      'provisioning/grafana/datasources/prometheus.yml',
    ).datasources;
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ uid: PROVISIONED_PROMETHEUS_UID, type: 'prometheus', url: 'http://prometheus:9090' });
  });

  it('loads the generated dashboards from where compose mounts them', () => {
    const providers = readYaml<{ providers: Array<{ type: string; options: { path: string } }> }>(
      'provisioning/grafana/dashboards/modelwatch.yml',
    ).providers;
    const mounts = Object.fromEntries(bindMounts(compose().services.grafana));
    expect(providers[0].type).toBe('file');
    expect(providers[0].options.path).toBe(mounts['./dashboards/generated']);
    for (const d of DASHBOARDS) expect(fs.existsSync(path.join(REPO_ROOT, 'dashboards', 'generated', d.file))).toBe(true);
    expect(mounts['./provisioning/grafana/dashboards']).toBe('/etc/grafana/provisioning/dashboards');
    expect(mounts['./provisioning/grafana/datasources']).toBe('/etc/grafana/provisioning/datasources');
    expect(mounts['./provisioning/grafana/plugins']).toBe('/etc/grafana/provisioning/plugins');
  });

  it('enables the app plugin with the exporter URL, and its token only as secureJsonData from the environment', () => {
    const apps = readYaml<{ apps: Array<{ type: string; jsonData: Record<string, string>; secureJsonData: Record<string, string> }> }>(
      'provisioning/grafana/plugins/modelwatch-app.yml',
    ).apps;
    const pluginId = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'grafana-plugin', 'src', 'plugin.json'), 'utf8')) as { id: string })
      .id;
    expect(apps[0].type).toBe(pluginId);
    expect(apps[0].jsonData.exporterUrl).toBe('http://exporter:9400');
    expect(JSON.stringify(apps[0].jsonData)).not.toMatch(/token/i);
    expect(apps[0].secureJsonData).toEqual({ exporterToken: '$MODELWATCH_GRAFANA_TOKEN' });
    const grafana = compose().services.grafana;
    expect(grafana.environment).toHaveProperty('MODELWATCH_GRAFANA_TOKEN');
    // The app is built inside Grafana's image (issue 14), where GF_PATHS_PLUGINS points, and no
    // bind mount hides it with a host folder that a fresh clone does not have.
    expect(grafana.build).toEqual({ context: '.', dockerfile: 'grafana-plugin/Dockerfile' });
    const stages = parseDockerfile(fs.readFileSync(path.join(REPO_ROOT, 'grafana-plugin', 'Dockerfile'), 'utf8'));
    const image = stages[stages.length - 1];
    expect(image.base).toMatch(/^grafana\/grafana:/);
    const pluginsDir = /^GF_PATHS_PLUGINS=(\S+)$/.exec(image.steps.find((s) => s.instruction === 'ENV')?.args ?? '')?.[1];
    expect(pluginsDir).toBeTruthy();
    const copies = image.steps.filter((s) => s.instruction === 'COPY').map((s) => s.args);
    expect(copies).toContainEqual(`--from=${stages[0].name} --chown=472:0 /src/grafana-plugins/ ${pluginsDir}/`);
    // …where the build stage put the app's dist under its plugin id.
    expect(stages[0].steps.map((s) => s.args).join('\n')).toContain(`cp -R grafana-plugin/dist grafana-plugins/${pluginId}`);
    expect(
      bindMounts(grafana).filter(([, target]) => target.startsWith(pluginsDir!) || target.startsWith('/var/lib/grafana/plugins')),
    ).toEqual([]);
  });

  it('turns on Grafana’s user header so app actions are audited under the signed-in user (issue 13)', () => {
    const ini = fs.readFileSync(path.join(REPO_ROOT, 'provisioning', 'grafana', 'grafana.ini'), 'utf8');
    const section = /^\[dataproxy\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(ini)?.[1] ?? '';
    expect(section).toMatch(/^send_user_header\s*=\s*true\s*$/m);
    const grafana = compose().services.grafana;
    expect(Object.fromEntries(bindMounts(grafana))['./provisioning/grafana/grafana.ini']).toBe('/etc/grafana/grafana.ini');
    expect(compose().services.exporter.environment).toHaveProperty('MODELWATCH_GRAFANA_TOKEN_ID');
  });
});
