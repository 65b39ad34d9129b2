const base = require('../jest.config.base.js');

// Next.js compiles the app with its bundler settings; Jest runs the plain modules under
// CommonJS, so the tests get their own tsconfig.
module.exports = {
  ...base,
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
};
