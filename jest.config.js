// Four tiers: unit (*.spec.ts beside the code, no I/O), integration (test/**/*.int-spec.ts against
// real PostgreSQL, Redis and the simulators), e2e (test/**/*.e2e-spec.ts through HTTP) and fault
// (test/**/*.fault-spec.ts: the same real services with faults injected — upstream outages, cut
// PostgreSQL connections, a Redis of the test's own that is stopped and restarted).
// Nest 12, openid-client 6 and oidc-provider 9 are ESM: jest runs with --experimental-vm-modules
// (see the "jest" npm script) and ts-jest compiles our TypeScript to CommonJS.
const shared = {
  transform: { '^.+\\.(t|j)s$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
  transformIgnorePatterns: ['/node_modules/'],
};

/** @type {import('jest').Config} */
module.exports = {
  // testTimeout is a global option (ignored inside projects): integration tests start servers.
  testTimeout: 30000,
  // A leaked handle (see the closing note of 2026-12-02) must not hang CI after the last test.
  forceExit: true,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
      setupFiles: ['<rootDir>/test/support/setup-env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/isolate-file.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      setupFiles: ['<rootDir>/test/support/setup-env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/isolate-file.ts'],
    },
    {
      ...shared,
      displayName: 'fault',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.fault-spec.ts'],
      setupFiles: ['<rootDir>/test/support/setup-env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/isolate-file.ts'],
    },
  ],
};
