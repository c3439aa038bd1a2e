// eslint-plugin-security 4.1 ships no type declarations; it exports a flat-config plugin object.
declare module 'eslint-plugin-security' {
  const plugin: import('eslint').ESLint.Plugin & { configs: Record<string, import('eslint').Linter.Config> };
  export default plugin;
}
