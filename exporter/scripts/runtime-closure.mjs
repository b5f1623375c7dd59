#!/usr/bin/env node
// Copies what one workspace needs at run time out of an npm-workspaces install: its package.json
// and every installed package its "dependencies" load, found the way Node resolves them
// (nearest node_modules first, then each parent's), each kept at its path relative to the
// repository root so the copy resolves exactly as the install did.
//
// Why not `npm ci --omit=dev --workspace …`: npm's lockfile does not mark another workspace's
// devDependencies as dev once they are hoisted, so that install still brings typescript, eslint
// and their trees into the image; and a package nested under the workspace
// (exporter/node_modules/ipaddr.js 2.x beside express's 1.x) must be kept too.
//
// Usage (from the repository root): node exporter/scripts/runtime-closure.mjs <workspace dir> <out dir>
// Exits 1 naming the package when a runtime dependency is not installed or is a workspace link.
import fs from 'node:fs';
import path from 'node:path';

const [workspace, outDir] = process.argv.slice(2);
if (!workspace || !outDir) {
  console.error('usage: runtime-closure.mjs <workspace dir> <out dir>');
  process.exit(2);
}
const root = process.cwd();
const readManifest = (dir) => JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8'));

/** Directory (relative to root) of package `name` as required from `fromDir`, or undefined. */
function resolvePackage(name, fromDir) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(root, candidate, 'package.json'))) return candidate;
    if (dir === '.' || dir === '') return undefined;
  }
}

/** Names a package loads at run time: dependencies, installed optional and peer dependencies. */
function runtimeDependencies(manifest) {
  const optionalPeers = Object.entries(manifest.peerDependenciesMeta ?? {})
    .filter(([, meta]) => meta.optional)
    .map(([name]) => name);
  return [
    ...Object.keys(manifest.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(manifest.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ...Object.keys(manifest.peerDependencies ?? {}).map((name) => ({ name, optional: optionalPeers.includes(name) })),
  ];
}

const kept = new Set();
const queue = [path.normalize(workspace)];
while (queue.length > 0) {
  const dir = queue.shift();
  const manifest = readManifest(dir);
  for (const dep of runtimeDependencies(manifest)) {
    const found = resolvePackage(dep.name, dir);
    if (found === undefined) {
      if (dep.optional) continue;
      console.error(`runtime-closure: ${dep.name} (needed by ${dir}) is not installed`);
      process.exit(1);
    }
    if (fs.lstatSync(path.join(root, found)).isSymbolicLink()) {
      console.error(`runtime-closure: ${found} is a workspace link; copy that workspace's build explicitly`);
      process.exit(1);
    }
    if (!kept.has(found)) {
      kept.add(found);
      queue.push(found);
    }
  }
}

fs.mkdirSync(path.join(outDir, workspace), { recursive: true });
fs.copyFileSync(path.join(root, workspace, 'package.json'), path.join(outDir, workspace, 'package.json'));
for (const dir of [...kept].sort()) {
  // A package's own node_modules holds other packages, copied only if something needs them.
  fs.cpSync(path.join(root, dir), path.join(outDir, dir), {
    recursive: true,
    filter: (src) => path.relative(path.join(root, dir), src).split(path.sep)[0] !== 'node_modules',
  });
}
console.log(`runtime-closure: ${kept.size} packages for ${workspace} in ${outDir}`);
