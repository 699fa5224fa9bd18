// Lint rules that keep the data flow one way (see README, "How it is built").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noBrowserGlobals = {
  'no-restricted-globals': ['error',
    { name: 'chrome', message: 'Browser APIs belong in src/platform/.' },
    { name: 'browser', message: 'Browser APIs belong in src/platform/.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', '.tmp/**', 'node_modules/**', 'web-ext-artifacts/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error',
        { selector: "AssignmentExpression[left.property.name='innerHTML']", message: 'Use textContent.' },
        { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'Use textContent.' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      ...noBrowserGlobals,
      'no-restricted-imports': ['error', { patterns: [
        { group: ['../*', '!../core/*'], message: 'src/core is pure: it imports nothing of the extension.' },
        { group: ['webextension-polyfill', 'node:*', 'fs'], message: 'src/core runs in any context.' }] }],
    },
  },
  {
    files: ['src/pages/**/*.ts', 'src/content/**/*.ts'],
    rules: {
      ...noBrowserGlobals,
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/background/*'], message: 'Pages and content scripts talk to the background through messages.' },
        { group: ['webextension-polyfill'], message: 'Use src/platform/.' }] }],
    },
  },
  {
    files: ['src/background/**/*.ts', 'src/shared/**/*.ts'],
    rules: { ...noBrowserGlobals, 'no-restricted-imports': ['error', { patterns: [
      { group: ['webextension-polyfill'], message: 'Use src/platform/.' }] }] },
  },
);
