import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

/**
 * Every picture a README or doc page shows, by path from the repository root, and the test or
 * script that draws it. Pictures are written to each test's gitignored test-output/ folder; with
 * MODELWATCH_UPDATE_SCREENSHOTS=1 the test copies the ones listed here over the committed files
 * (test-support/test/readme-pictures.test.ts checks the list against the Markdown).
 */
export const README_PICTURES: Record<string, string> = {
  'grafana-plugin/docs/images/models-live.png': 'grafana-plugin/tests/browser.test.ts',
  'grafana-plugin/docs/images/models-triage.png': 'grafana-plugin/tests/browser.test.ts',
  'grafana-plugin/docs/images/incident-view.png': 'grafana-plugin/tests/browser.test.ts',
  'grafana-plugin/docs/images/gate-failure.png': 'grafana-plugin/tests/browser.test.ts',
  'grafana-plugin/docs/images/model-page.png': 'grafana-plugin/tests/browser.test.ts',
  'docs/images/dashboard-fleet-overview.png': 'dashboards/test/panels-render.test.ts',
  'docs/images/dashboard-model-detail.png': 'dashboards/test/panels-render.test.ts',
  'docs/images/label-free-estimate.svg': 'exporter/test/docs/label-free-picture.test.ts',
};

/** True when the run should refresh the committed README pictures (MODELWATCH_UPDATE_SCREENSHOTS=1). */
export const updatingScreenshots = (): boolean => process.env.MODELWATCH_UPDATE_SCREENSHOTS === '1';

/**
 * Copies freshly drawn pictures over the committed README ones when updatingScreenshots().
 * `pictures` maps a file a test wrote (absolute path) to its README path (a README_PICTURES key).
 * Throws on a destination not in README_PICTURES, so a new README picture is declared first.
 * Pictures older than `drawnSinceMs` (the run's start, ms since the epoch) are refused, so a stale
 * one left in test-output/ by an earlier run is never published. Returns the README paths written
 * (none unless updating).
 */
export function publishReadmePictures(pictures: Record<string, string>, drawnSinceMs: number): string[] {
  for (const to of Object.values(pictures)) if (!(to in README_PICTURES)) throw new Error(`${to} is not declared in README_PICTURES`);
  if (!updatingScreenshots()) return [];
  const written: string[] = [];
  for (const [from, to] of Object.entries(pictures)) {
    if (!fs.existsSync(from) || fs.statSync(from).mtimeMs < drawnSinceMs)
      throw new Error(`${from} was not drawn in this run, so ${to} cannot be refreshed`);
    fs.copyFileSync(from, path.join(REPO_ROOT, to));
    written.push(to);
  }
  return written;
}
