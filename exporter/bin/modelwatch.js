#!/usr/bin/env node
// The `modelwatch` command. This launcher is committed, not built: npm links a workspace's bin
// while installing, before the root `prepare` script builds dist/, and a bin whose file does not
// exist yet is silently not linked — which made `npx modelwatch` fail after a first `npm install`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Exit code when the CLI itself cannot run (not built), distinct from 1 = refused by a gate. */
const EXIT_NOT_BUILT = 5;

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write(
    `modelwatch: the CLI is not built (${fileURLToPath(main)} is missing); run \`npm install\` or \`npm run build\` in the repository first\n`,
  );
  process.exit(EXIT_NOT_BUILT);
}
await import(main.href);
