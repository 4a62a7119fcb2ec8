// Runs in every integration/e2e worker before the test file. The database and Redis prefix of this
// run were set by global-setup.ts; the rest are the settings every test app shares.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
