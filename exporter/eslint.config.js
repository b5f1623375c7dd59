import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * Layers of src/, lowest first: a folder may import from its own layer and the layers below,
 * never from a layer above (DESIGN.md "Keep the layers apart"; README "How the exporter is
 * built"). Shared leaves (config, errors, logger, metrics catalog, text rule, name rule, URL redaction) sit below all.
 * test/layers.test.ts shows that an upward import fails `npm run lint`.
 */
export const LAYERS = [
  ['stats'],
  ['windows'],
  ['ingest', 'registry', 'auth'],
  ['store'],
  ['collectors', 'alerting', 'webhooks', 'durable', 'status'],
  ['http'],
  ['app', 'demo'],
  ['cli', 'bench'],
];

const layerRules = LAYERS.map((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  return {
    files: layer.map((dir) => `src/${dir}/**`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: above.map((dir) => ({
            group: [`**/${dir}/*`, `../${dir}/*`, `../../${dir}/*`],
            message: `layer rule: src/${layer.join('|')} must not import from src/${dir} (a higher layer); move the shared type down or pass it in from app/root.ts`,
          })),
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': 'error',
    },
  },
  ...layerRules,
  {
    // The committed bin launcher is plain JavaScript run by Node (no TypeScript to declare its globals).
    files: ['bin/**'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly' } },
  },
  {
    // Plain scripts the Dockerfile runs with node before anything is built; they report on the console.
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: { 'no-console': 'off' },
  },
  {
    // Tests and the benchmark print figures for the record; the service logs through pino.
    files: ['test/**', 'src/bench/**'],
    rules: { 'no-console': 'off' },
  },
);
