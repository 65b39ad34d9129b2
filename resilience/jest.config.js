/** Short fault tests run in `npm test`; the long ones only with TF_CHAOS=1 (`npm run chaos`). */
module.exports = { ...require('../jest.config.base.js'), testTimeout: 120000 };
