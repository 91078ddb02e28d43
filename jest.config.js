/** @type {import('jest').Config} */
const moduleNameMapper = {
  '^@trellis/([a-z-]+)$': '<rootDir>/libs/$1/src',
};
// .tsx (the pages) compile with Preact's automatic JSX runtime, as tsconfig.json says.
const transform = {
  '^.+\\.ts$': ['@swc/jest'],
  '^.+\\.tsx$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', tsx: true, decorators: true },
        transform: {
          legacyDecorator: true,
          decoratorMetadata: true,
          useDefineForClassFields: false,
          react: { runtime: 'automatic', importSource: 'preact' },
        },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
      sourceMaps: true,
    },
  ],
};

module.exports = {
  // Each e2e file gets its own database cloned from a migrated template, so files run in parallel.
  maxWorkers: 2,
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/apps/**/*.spec.tsx'],
      globalSetup: '<rootDir>/test/support/build-assets.js',
      transform,
      moduleNameMapper,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
