// Selftest tests module that never settles: proves the driver's timer exits 124 rather than 0.
async function run() {
  console.log('selftest hang: waiting forever');
  return new Promise(() => {});
}

module.exports = { run };
