const { join } = require('node:path');
const base = require('../../jest.config.base.js');

// The cluster's test: run by `npm run cluster -- test` against a cluster that is up, never by
// infra's own `npm test` (whose roots are src/).
module.exports = {
  ...base,
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: join(__dirname, 'tsconfig.json') }] },
};
