// Lint: typescript-eslint's recommended rules, plus the layering rule of design.md section 1:
// model, rules and remediation stay pure (no vscode, no AWS SDK, no I/O modules).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const pureLayers = ['src/model/**/*.ts', 'src/rules/**/*.ts', 'src/remediation/**/*.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', '.vscode-test/**', '.tmp/**', 'test/host/fixture-extension/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: pureLayers,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['vscode'], message: 'Pure layers must not import vscode (design.md section 1).' },
          { group: ['@aws-sdk/*', '@smithy/*'], message: 'Pure layers must not import the AWS SDK (design.md section 1).' },
          { group: ['node:fs', 'fs', 'node:fs/*', 'fs/*', 'node:child_process', 'child_process', 'node:net', 'node:http', 'node:https'], message: 'Pure layers do no I/O.' },
          { group: ['**/aws', '**/aws/*', '**/sources/*', '**/extension/*', '**/cli/*'], message: 'Dependencies point inward: pure layers import only model, rules, remediation.' },
        ],
      }],
    },
  },
  {
    files: ['src/aws/**/*.ts', 'src/sources/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/extension may import vscode.' }] }],
    },
  },
  { languageOptions: { globals: { ...globals.node } } },
  { files: ['test/**'], languageOptions: { globals: { ...globals.mocha } } },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
