// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['jest.config.js', 'test/support/*.js', 'scripts/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**', 'eslint.config.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Bugs we have seen in job code: a promise nobody awaits fails silently.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // A `Shown<T>` is the proof that libs/anonymity's decision let a figure leave the server:
    // reports, pages and notifications accept nothing else. Only that module may make one
    // (`reveal`, `revealGroup`, which check the decision and k); a type assertion anywhere else
    // would forge the proof and undo the gate, so it is refused, as is importing the type under
    // another name to get round this rule.
    files: ['**/*.ts'],
    ignores: ['libs/anonymity/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['TSAsExpression', 'TSTypeAssertion'].flatMap((cast) =>
          ['typeName.name', 'typeName.right.name'].map((name) => ({
            selector: `${cast} > .typeAnnotation TSTypeReference[${name}='Shown'], ${cast} > TSTypeReference.typeAnnotation[${name}='Shown']`,
            message: 'Only libs/anonymity makes a Shown value (reveal, revealGroup); do not assert one.',
          })),
        ),
        {
          selector: "ImportSpecifier[imported.name='Shown'][local.name!='Shown']",
          message: 'Import Shown under its own name, so the rule against asserting it applies.',
        },
      ],
    },
  },
  {
    // Pages are Preact components: every text and attribute is escaped when rendered. Raw HTML
    // would undo that, so it is refused outright.
    files: ['**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Pages never insert raw HTML; render components (Preact escapes them).',
        },
        {
          selector: "Property[key.name='dangerouslySetInnerHTML']",
          message: 'Pages never insert raw HTML; render components (Preact escapes them).',
        },
      ],
    },
  },
  {
    // Browser scripts: the DOM, not Node; type-checked by tsconfig.browser.json.
    files: ['apps/**/*.browser.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: false, project: './tsconfig.browser.json', tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.spec.tsx', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
