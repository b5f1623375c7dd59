/**
 * Writes the rule files (and the exporter's per-model retraining thresholds) into
 * alert-rules/generated/, or with `--check` fails (exit 1) when the committed files differ from
 * what the TypeScript generates.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { config } from './config.js';
import { RETRAIN_THRESHOLDS_FILE, renderRetrainThresholds } from './exporter-thresholds.js';
import { renderRuleFile } from './render.js';
import { ruleFiles } from './rules.js';

export const GENERATED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'generated');

/** The Prometheus rule files, by file name. */
export function renderAll(): Record<string, string> {
  return Object.fromEntries(Object.entries(ruleFiles()).map(([name, file]) => [name, renderRuleFile(file)]));
}

/** Every generated file: the rule files and the exporter's retraining thresholds. */
export function renderGenerated(): Record<string, string> {
  return { ...renderAll(), [RETRAIN_THRESHOLDS_FILE]: renderRetrainThresholds(config) };
}

/** Names of generated files whose committed contents are missing or stale. */
export function staleFiles(dir = GENERATED_DIR): string[] {
  return Object.entries(renderGenerated())
    .filter(([name, text]) => {
      const file = path.join(dir, name);
      return !existsSync(file) || readFileSync(file, 'utf8') !== text;
    })
    .map(([name]) => name);
}

function main(argv: readonly string[]): number {
  if (argv.includes('--check')) {
    const stale = staleFiles();
    if (stale.length === 0) return 0;
    process.stderr.write(`stale generated rule files: ${stale.join(', ')}; run npm run generate -w @modelwatch/alert-rules\n`);
    return 1;
  }
  mkdirSync(GENERATED_DIR, { recursive: true });
  for (const [name, text] of Object.entries(renderGenerated())) {
    writeFileSync(path.join(GENERATED_DIR, name), text);
    process.stdout.write(`wrote ${path.relative(process.cwd(), path.join(GENERATED_DIR, name))}\n`);
  }
  return 0;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
