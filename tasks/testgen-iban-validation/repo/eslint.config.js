import tseslint from 'typescript-eslint';

export default tseslint.config(...tseslint.configs.recommended, {
  rules: {
    eqeqeq: 'error',
    'prefer-const': 'error',
  },
});
