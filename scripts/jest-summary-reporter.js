// Appends each Jest run's totals to $TF_TEST_SUMMARY, so scripts/test.sh can add up every
// workspace's results into one "N passed, N failed" line.
const { appendFileSync } = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.TF_TEST_SUMMARY;
    if (!file) return;
    const failedToRun = results.numRuntimeErrorTestSuites ?? 0;
    appendFileSync(
      file,
      `${JSON.stringify({
        cwd: process.cwd(),
        passed: results.numPassedTests,
        failed: results.numFailedTests + failedToRun,
        pending: results.numPendingTests + results.numTodoTests,
      })}\n`,
    );
  }
}

module.exports = SummaryReporter;
