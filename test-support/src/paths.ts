import path from 'node:path';
import { fileURLToPath } from 'node:url';

// import.meta.url also works under jest: swc rewrites it from __filename in CommonJS output.
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXPORTER_DIR = path.join(REPO_ROOT, 'exporter');
/** The built CLI (`npm run build -w exporter`). */
export const EXPORTER_MAIN = path.join(EXPORTER_DIR, 'dist', 'cli', 'main.js');
/** The CLI's TypeScript entry point, run through tsx when a test must not depend on a build. */
export const EXPORTER_SOURCE_MAIN = path.join(EXPORTER_DIR, 'src', 'cli', 'main.ts');
/** The Alertmanager config the project ships (docker-compose mounts it). */
export const SHIPPED_ALERTMANAGER_CONFIG = path.join(REPO_ROOT, 'provisioning', 'alertmanager', 'alertmanager.yml');
