import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** A plugin config's rules, every one an error: a warning nobody is made to read is noise. */
const asErrors = (rules) => Object.fromEntries(Object.keys(rules).map((rule) => [rule, 'error']));

/*
 * A workspace is reached through its package exports (`@taskforge/tasks/bench`), never by a
 * relative path into another workspace's files, so each one's inside can move freely.
 */
const WORKSPACES = [
  'common',
  'topology',
  'auth',
  'tickets',
  'teams',
  'tasks',
  'notifications',
  'client',
  'infra',
  'stack',
  'bench',
  'resilience',
  'release',
];
const intoAnotherWorkspace = {
  group: WORKSPACES.map((workspace) => `**/../${workspace}/src/**`),
  message: 'Import the workspace through its package exports, not a path into its files.',
};

export default tseslint.config(
  {
    ignores: [
      '**/build/**',
      '**/node_modules/**',
      '**/.next/**',
      '**/next-env.d.ts',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: [intoAnotherWorkspace] }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    plugins: {
      '@next/next': nextPlugin,
      'react-hooks': reactHooks,
    },
    settings: { next: { rootDir: 'client/' } },
    rules: {
      ...asErrors(nextPlugin.configs['core-web-vitals'].rules),
      ...asErrors(reactHooks.configs.flat['recommended-latest'].rules),
      // It checks <a> links into a pages/ directory; the client has only the App Router.
      '@next/next/no-html-link-for-pages': 'off',
    },
  },
  {
    // The client takes from common only its dependency-free subpaths: its root brings mongoose,
    // NATS and Express, which must not reach a page's bundle.
    files: ['client/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@taskforge/common',
              message: 'Import a browser-safe subpath such as @taskforge/common/display-name.',
            },
            {
              name: '@taskforge/common/testing',
              message: 'Test helpers are for the services.',
            },
          ],
          patterns: [intoAnotherWorkspace],
        },
      ],
    },
  },
  {
    files: ['**/__test__/**', 'scripts/**', 'bench/**', 'e2e/**'],
    rules: { 'no-console': 'off' },
  },
  prettier,
);
