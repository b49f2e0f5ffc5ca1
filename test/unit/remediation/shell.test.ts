import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { Arg } from '../../../src/model/plan';
import { commentText, quoteBash, quotePowerShell, renderCommandLine } from '../../../src/remediation';
import { BashHarness, hostileValues } from './shellHarness';
import { readPowerShellArgs } from './powershellGrammar';

function argvWith(value: string): string[] {
  return ['aws', 'ec2', 'create-security-group', '--group-name', value, '--description', value,
    '--ip-permissions', JSON.stringify([{ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: value }] }]),
    '--profile', value];
}

describe('shell rendering', () => {
  let bash: BashHarness;
  before(() => { bash = new BashHarness(); });
  after(() => bash.dispose());

  describe('bash', function () {
    this.timeout(60_000); // real bash and a stub aws process per call
    it('passes every hostile value to aws exactly, with no side effect (real bash, stub aws)', () => {
      const { values, traps } = hostileValues((n) => bash.trap(n));
      const argvs = values.map(argvWith);
      const script = ['set -eu', ...argvs.map((argv) => renderCommandLine(argv, 'bash'))].join('\n');
      const run = bash.run(script);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(run.calls, argvs.map((argv) => argv.slice(1)));
      bash.assertNoTrapSprung(traps);
    });

    it('quotes every value, leaving bare only aws, the service, the operation and --flags', () => {
      const line = renderCommandLine(['aws', 'rds', 'modify-db-cluster', '--db-cluster-identifier', 'orders-db', '--vpc-security-group-ids', { ref: 'NEW_GROUP_ID' }, 'sg-0bbb3333', '--apply-immediately'], 'bash');
      assert.equal(line, `aws rds modify-db-cluster --db-cluster-identifier 'orders-db' --vpc-security-group-ids "$NEW_GROUP_ID" 'sg-0bbb3333' --apply-immediately`);
      assert.equal(quoteBash(`it's`), `'it'\\''s'`);
      assert.equal(quoteBash(''), `''`);
    });

    it('expands an ArgRef to the variable value as one argument, whatever it holds', () => {
      const { values, traps } = hostileValues((n) => bash.trap(n));
      const assignments = values.map((value, i) => `REF_${i}=${quoteBash(value)}`);
      const line = renderCommandLine(['aws', 'ec2', 'delete-security-group', ...values.map((_, i) => ({ ref: `REF_${i}` }))], 'bash');
      const run = bash.run(['set -eu', ...assignments, line].join('\n'));
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(run.calls, [['ec2', 'delete-security-group', ...values]]);
      bash.assertNoTrapSprung(traps);
    });

    it('round-trips random unicode strings through real bash (property, one bash run)', () => {
      const samples = fc.sample(fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0')), { numRuns: 300, seed: 4242 });
      // One aws call with every sample as an argument: a process per sample would be slow.
      const run = bash.run(`set -eu\n${renderCommandLine(['aws', 'ec2', 'x', ...samples], 'bash')}`);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(run.calls, [['ec2', 'x', ...samples]]);
    });

    it('refuses NUL, which no argv can carry', () => {
      assert.throws(() => renderCommandLine(['aws', 'ec2', 'x', 'a\0b'], 'bash'), /NUL/);
      assert.throws(() => renderCommandLine(['aws', 'ec2', 'x', { ref: 'NOT VALID' }], 'bash'), /variable name/);
    });
  });

  describe('PowerShell (pwsh is not installed here: checked against its quoting grammar)', () => {
    it('reads back every hostile value exactly', () => {
      const { values } = hostileValues((n) => `/tmp/${n}`);
      for (const value of values) {
        const argv = argvWith(value);
        assert.deepEqual(readPowerShellArgs(renderCommandLine(argv, 'powershell')), argv, JSON.stringify(value));
      }
    });

    it('doubles the typographic single quotes too, which PowerShell also treats as quotes', () => {
      assert.equal(quotePowerShell(`it's`), `'it''s'`);
      assert.equal(quotePowerShell('a\u2019b'), `'a\u2019\u2019b'`);
      // A quoter that doubled only U+0027 would let U+2019 close the string: the grammar reader catches that.
      const naive = `'a\u2019; Remove-Item x'`;
      assert.throws(() => readPowerShellArgs(`aws ${naive}`));
    });

    it('renders an ArgRef as a bare variable and flags bare, values single-quoted', () => {
      const line = renderCommandLine(['aws', 'ec2', 'delete-security-group', '--group-id', { ref: 'NEW_GROUP_ID' }, '--profile', `o'brien`], 'powershell');
      assert.equal(line, `aws ec2 delete-security-group --group-id $NEW_GROUP_ID --profile 'o''brien'`);
      assert.deepEqual(readPowerShellArgs(line, { NEW_GROUP_ID: 'sg-1' }), ['aws', 'ec2', 'delete-security-group', '--group-id', 'sg-1', '--profile', `o'brien`]);
    });

    it('round-trips random unicode strings (property)', () => {
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0')), (s) => {
        const argv: Arg[] = ['aws', 'ec2', 'x', '--v', s];
        assert.deepEqual(readPowerShellArgs(renderCommandLine(argv, 'powershell')), argv);
      }), { numRuns: 500 });
    });
  });

  describe('comments', () => {
    it('keep hostile text on one line, with controls and bidi overrides visible', () => {
      const text = commentText('a\nrm -rf /\r\u2028b\u202e\tc');
      assert.ok(!/[\n\r\u2028\u202e\t]/.test(text));
      assert.equal(text, 'a\\u{a}rm -rf /\\u{d}\\u{2028}b\\u{202e}\\u{9}c');
    });
  });
});
