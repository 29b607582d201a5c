// ESLint for the whole tree (flat config). Formatting is Prettier's (`npm run format:check`);
// these rules catch what the compiler does not: promises nobody awaits, workflow code that
// could break determinism, focused or skipped tests.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** What workflow code may import: the workflow SDK, its common types, contracts, domain rules, itself. */
const WORKFLOW_IMPORTS = [
  {
    regex: '^(?!(@temporalio/workflow|@temporalio/common|\\.\\./libs/contracts|\\.\\./libs/domain|\\./[\\w.-]+)$)',
    message:
      'Workflow code runs in a deterministic sandbox: import only @temporalio/workflow, @temporalio/common, ../libs/contracts, ../libs/domain and workflows/ itself (no Node built-ins, no I/O).',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'coverage/', 'test/replay/histories/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      // A variable a callback reads before start-up assigns it stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // One import statement per module (a type-only one may stand beside it).
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[object.name=/^(it|test|describe)$/][property.name=/^(only|skip)$/]',
          message: 'Focused or skipped tests hide failures.',
        },
        {
          selector: 'CallExpression[callee.name=/^(xit|xtest|xdescribe|fit|fdescribe)$/]',
          message: 'Focused or skipped tests hide failures.',
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: WORKFLOW_IMPORTS }] },
  },
  {
    // The web app runs in the browser (apps/web/tsconfig.json is its project).
    files: ['apps/web/src/**/*.ts', 'apps/web/src/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // The app shares the contracts' types, never their code: the bundle holds no Node code.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/libs/**', '**/apps/api/**', '**/workflows/**', '**/activities/**'],
              allowTypeImports: true,
              message: 'the web app imports only types from the Node tree (import type)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node }, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
  prettier,
);
