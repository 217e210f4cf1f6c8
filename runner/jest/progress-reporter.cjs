// Jest reporter: with MITEY_TEST_PROGRESS set to a file, appends "start <file>" and "end <file>"
// as each test file begins and ends. npm test runs in band on a small machine, so a test file that
// never ends (native code that does not return) holds the whole run: .ci/run names it from here.
// CommonJS: jest loads reporters itself.
const { appendFileSync } = require('node:fs');

class ProgressReporter {
  constructor() {
    this.file = process.env.MITEY_TEST_PROGRESS;
  }
  write(what, path) {
    if (this.file) appendFileSync(this.file, `${new Date().toISOString()} ${what} ${path}\n`);
  }
  onTestFileStart(test) {
    this.write('start', test.path);
  }
  onTestFileResult(test) {
    this.write('end', test.path);
  }
}

module.exports = ProgressReporter;
