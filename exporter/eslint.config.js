import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
  {
    // The committed bin launcher is plain JavaScript run by Node (no TypeScript to declare its globals).
    files: ['bin/**'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly' } },
  },
  {
    // Tests and the benchmark print figures for the record; the service logs through pino.
    files: ['test/**', 'src/bench/**'],
    rules: { 'no-console': 'off' },
  },
);
