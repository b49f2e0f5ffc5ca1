// Run by the selftest through test/host/mocha-runner.cjs: one deliberate failure, which must make
// the runner reject and the driver exit 1.
const assert = require('node:assert/strict');

describe('a failing suite', () => {
  it('fails on purpose', () => {
    assert.equal(1 + 1, 3, 'deliberate mocha failure');
  });
});
