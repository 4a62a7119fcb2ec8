/**
 * Module boundaries (ARCHITECTURE.md): a feature module under src/modules/<name>/ may use another
 * module only through that module's public entry (index.ts), never its internals; shared plumbing
 * (config, common, database, upstream) never imports a feature module.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-module-internals',
      severity: 'error',
      comment: 'Import another module only through its index.ts',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/(?!index\\.ts$)', pathNot: '^src/modules/$1/' },
    },
    {
      name: 'plumbing-does-not-know-features',
      severity: 'error',
      from: { path: '^src/(config|common|database|upstream)/' },
      to: { path: '^src/modules/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    { name: 'no-test-code-in-src', severity: 'error', from: { path: '^src/' }, to: { path: '^test/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
