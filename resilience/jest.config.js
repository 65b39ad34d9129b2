/*
 * Short fault, bad-input and authorization tests run in `npm test`; the long ones
 * (`*.chaos.test.ts`) only with TF_CHAOS=1, which `npm run chaos` sets.
 */
const base = require('../jest.config.base.js');

module.exports = {
  ...base,
  testTimeout: 180000,
  testPathIgnorePatterns: process.env.TF_CHAOS === '1' ? [] : ['\\.chaos\\.test\\.ts$'],
};
