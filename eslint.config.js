import tseslint from 'typescript-eslint';
import { layersRule } from './eslint/layers.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'web/**/dist/', 'coverage/', 'bench/results/'] },
  ...tseslint.configs.recommended,
  {
    plugins: { kopilka: { rules: { layers: layersRule } } },
    rules: {
      'kopilka/layers': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // `any` is refused in the domain (below); elsewhere it is allowed where a library's types demand it.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
