// Runs a plan against the emulator in its own process and stops dead at a chosen point,
// so a test can kill -9 it there: `node -r tsx/cjs run-plan-child.ts PLAN.json JOURNAL-DIR URL PAUSE READY-FILE`.
// PAUSE is "step-done:N" (after step N's call finished) or "step-start:N" (journaled as running, call not sent).

import { readFileSync, writeFileSync } from 'node:fs';
import { runPlan } from '../../../src/aws';
import type { Plan } from '../../../src/model/plan';

async function main(): Promise<void> {
  const [planFile, journalDir, endpointUrl, pause, readyFile] = process.argv.slice(2);
  if (!planFile || !journalDir || !endpointUrl || !pause || !readyFile) throw new Error('usage: run-plan-child PLAN JOURNAL-DIR URL PAUSE READY-FILE');
  const [type, index] = pause.split(':');
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
  await runPlan(plan, {
    journalDir,
    endpointUrl,
    verify: false,
    onStep: async (event) => {
      if (event.type === type && 'index' in event && event.index === Number(index)) {
        writeFileSync(readyFile, 'paused');
        // Hold here until killed; the interval keeps the process alive.
        await new Promise(() => setInterval(() => undefined, 1000));
      }
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(3);
});
