/** Shared Jest settings: TypeScript through ts-jest, tests beside the code in __test__ folders. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/__test__/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  setupFiles: [require('node:path').join(__dirname, 'jest.setup-env.js')],
  reporters: [
    'default',
    require('node:path').join(__dirname, 'scripts', 'jest-summary-reporter.js'),
  ],
  testTimeout: 30000,
};
