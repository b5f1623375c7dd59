import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { View } from './panel-view.js';

/** Debian's Chromium, as the app's browser test uses (.ci/run installs it). */
export const CHROMIUM = '/usr/bin/chromium';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const UPLOT_DIST = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));

/** What the page drew for one panel (browser/panel.js `renderPanel`). */
export interface Rendered {
  series: number;
  valueCells: number;
  axisLabels: string[];
  /** Table value cells with their column's header. */
  cells: Array<{ column: string; text: string }>;
  noData: boolean;
  text: string;
  /** Background colour of each stat box, as the browser computed it (`rgb(r, g, b)`). */
  statColors: string[];
  /** The texts of every value shown (stat values, legend cells, table value cells, noValue). */
  values: string[];
}
export interface PixelStats {
  width: number;
  height: number;
  /** Variance of the luminance over all pixels: 0 for a blank picture. */
  variance: number;
  /** Distinct colours, capped at 5,000. */
  colours: number;
}

export interface PanelRenderer {
  render(view: View, pngPath: string): Promise<{ rendered: Rendered; pixels: PixelStats; pageErrors: string[] }>;
  screenshotFile(htmlPath: string, pngPath: string, width: number): Promise<PixelStats>;
  close(): Promise<void>;
}

const page0 = (): string =>
  `<!doctype html><html><head><meta charset="utf-8"><style>${fs.readFileSync(path.join(UPLOT_DIST, 'uPlot.min.css'), 'utf8')}</style>` +
  `<style>${fs.readFileSync(path.join(HERE, 'browser', 'panel.css'), 'utf8')}</style>` +
  `<script>${fs.readFileSync(path.join(UPLOT_DIST, 'uPlot.iife.min.js'), 'utf8')}</script>` +
  `<script>${fs.readFileSync(path.join(HERE, 'browser', 'panel.js'), 'utf8')}</script></head><body></body></html>`;

async function pixelsOf(page: Page, png: Buffer): Promise<PixelStats> {
  return page.evaluate(
    (url) => (window as unknown as { pixelStats(u: string): Promise<PixelStats> }).pixelStats(url),
    `data:image/png;base64,${png.toString('base64')}`,
  );
}

/** One headless Chromium page that draws panels and screenshots them. */
export async function startRenderer(): Promise<PanelRenderer> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-dashboards-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    deviceScaleFactor: 1,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  const html = page0();
  return {
    async render(view, pngPath) {
      pageErrors.length = 0;
      await page.setContent(html);
      const rendered = await page.evaluate(
        (v) => (window as unknown as { renderPanel(v: unknown): Rendered }).renderPanel(v),
        view as unknown,
      );
      const png = await page.locator('#panel').screenshot({ path: pngPath });
      return { rendered, pixels: await pixelsOf(page, png), pageErrors: [...pageErrors] };
    },
    async screenshotFile(htmlPath, pngPath, width) {
      await page.setViewportSize({ width, height: 1000 });
      await page.goto(`file://${htmlPath}`);
      await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
      const png = await page.screenshot({ path: pngPath, fullPage: true });
      await page.setViewportSize({ width: 1600, height: 1000 });
      await page.setContent(html);
      return pixelsOf(page, png);
    },
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
