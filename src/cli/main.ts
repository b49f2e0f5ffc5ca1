// The aurora-sg executable (bundled to dist/cli.js).

import { nodeIo } from './io';
import { run } from './run';

run(process.argv.slice(2), nodeIo()).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`aurora-sg: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
