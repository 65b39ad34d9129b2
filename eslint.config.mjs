import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** A plugin config's rules, every one an error: a warning nobody is made to read is noise. */
const asErrors = (rules) => Object.fromEntries(Object.keys(rules).map((rule) => [rule, 'error']));

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
    files: ['**/__test__/**', 'scripts/**', 'bench/**', 'e2e/**'],
    rules: { 'no-console': 'off' },
  },
  prettier,
);
