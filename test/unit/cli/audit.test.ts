import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { JsonFinding, JsonReport } from '../../../src/cli/report/json';
import { DEMO, DEMO_CONFIG, evidenceFolder, oneClusterAccount, REPO, runCli } from './runCli';

interface GroupsFile { SecurityGroups: { GroupName: string }[] }

const FINDING_FIELDS = [
  'id', 'ruleId', 'severity', 'title', 'message', 'profile', 'region', 'clusterId', 'instanceId', 'groupId',
  'securityGroupRuleId', 'direction', 'protocol', 'fromPort', 'toPort', 'source', 'fixes', 'suppressed',
];
const ALL_RULES = ['AURSG-001', 'AURSG-002', 'AURSG-003', 'AURSG-004', 'AURSG-005', 'AURSG-006', 'AURSG-007', 'AURSG-008', 'AURSG-009', 'AURSG-010', 'AURSG-011'];

const open3306 = [{ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
const fromApp = [{ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, UserIdGroupPairs: [{ GroupId: 'sg-0app', UserId: '123456789012' }] }];

describe('aurora-sg audit', () => {
  describe('JSON contract', () => {
    let json: JsonReport;
    let code: number;
    before(async () => {
      const result = await runCli(['audit', '--evidence', 'samples/demo-account', '--config', 'samples/demo-account/aurora-sg.config.json', '--format', 'json']);
      code = result.code;
      json = JSON.parse(result.stdout);
      assert.equal(result.stderr, '');
    });

    it('is version 1 with findings, errors and stats', () => {
      assert.equal(json.version, 1);
      assert.ok(Array.isArray(json.findings));
      assert.deepEqual(json.errors, []);
      for (const key of ['findings', 'suppressed', 'clusters', 'securityGroups', 'rules', 'apiCalls', 'durationMs']) {
        assert.equal(typeof (json.stats as unknown as Record<string, unknown>)[key], 'number', `stats.${key}`);
      }
      assert.equal(json.stats.apiCalls, 0, 'an evidence folder needs no API call');
      assert.equal(json.stats.clusters, 4);
      assert.equal(json.stats.findings + json.stats.suppressed, json.findings.length);
      assert.equal(Object.values(json.stats.bySeverity as Record<string, number>).reduce((a, b) => a + b, 0), json.stats.findings);
    });

    it('gives every finding every field of the contract, null when it does not apply', () => {
      assert.ok(json.findings.length > 10);
      for (const finding of json.findings) {
        for (const field of FINDING_FIELDS) assert.ok(field in finding, `${finding.id} has ${field}`);
        assert.match(finding.id, /^AURSG-0\d\d-[0-9a-f]{12}$/);
        assert.ok(finding.id.startsWith(finding.ruleId));
        assert.equal(finding.profile, null, 'evidence has no profile');
        assert.equal(finding.region, 'eu-west-1');
        assert.ok(Array.isArray(finding.fixes));
        assert.equal(typeof finding.suppressed, 'boolean');
        if (finding.direction !== null) {
          assert.match(finding.securityGroupRuleId ?? '', /^sgr-/);
          assert.ok(['cidr4', 'cidr6', 'prefixList', 'group'].includes(finding.source?.kind ?? ''));
        }
      }
      assert.equal(new Set(json.findings.map((f: JsonFinding) => f.id)).size, json.findings.length, 'ids are unique');
    });

    it('finds every rule id AURSG-001..011 in the demo account', () => {
      assert.deepEqual([...new Set(json.findings.map((f: JsonFinding) => f.ruleId))].sort(), ALL_RULES);
    });

    it('lists suppressed findings, marked, with their reason', () => {
      const suppressed = json.findings.filter((f: JsonFinding) => f.suppressed);
      assert.ok(suppressed.length > 0);
      for (const f of suppressed) assert.match(f.suppressionReason ?? '', /SEC-1182/);
    });

    it('reports the finding of a public instance per instance, with the instance named', () => {
      const public9 = json.findings.filter((f: JsonFinding) => f.ruleId === 'AURSG-009');
      assert.deepEqual(public9.map((f: JsonFinding) => f.instanceId), ['analytics-pg-1']);
      assert.ok(public9[0]!.fixes.includes('private'));
    });

    it('gives the same ids run after run, and exits 1 on findings at or above high', async () => {
      assert.equal(code, 1);
      const again = JSON.parse((await runCli(['audit', '--evidence', DEMO, '--config', DEMO_CONFIG, '--format', 'json'])).stdout);
      assert.deepEqual(again.findings.map((f: JsonFinding) => f.id), json.findings.map((f: JsonFinding) => f.id));
    });
  });

  describe('exit codes', () => {
    it('0 when nothing reaches --fail-on, 1 when something does', async () => {
      const clean = await evidenceFolder(oneClusterAccount(3306, fromApp));
      const open = await evidenceFolder(oneClusterAccount(3306, open3306));
      assert.equal((await runCli(['audit', '--evidence', clean])).code, 0);
      assert.equal((await runCli(['audit', '--evidence', open])).code, 1);
      assert.equal((await runCli(['audit', '--evidence', open, '--fail-on', 'none'])).code, 0);
      // The cluster listens on 3307: the open 3306 rule cannot reach it.
      const otherPort = await evidenceFolder(oneClusterAccount(3307, open3306));
      const json = JSON.parse((await runCli(['audit', '--evidence', otherPort, '--format', 'json'])).stdout) as JsonReport;
      assert.deepEqual(json.findings.filter((f: JsonFinding) => f.ruleId === 'AURSG-001'), []);
    });

    it('--fail-on counts severities at or above it, and never suppressed findings', async () => {
      const broad = await evidenceFolder(oneClusterAccount(3306, [{ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }]));
      assert.equal((await runCli(['audit', '--evidence', broad])).code, 0, 'AURSG-004 is medium; the default --fail-on is high');
      assert.equal((await runCli(['audit', '--evidence', broad, '--fail-on', 'medium'])).code, 1);
      const config = path.join(broad, 'settings.json');
      await fs.writeFile(config, JSON.stringify({ suppressions: [{ ruleId: 'AURSG-004', reason: 'on-prem range, accepted' }] }));
      assert.equal((await runCli(['audit', '--evidence', broad, '--fail-on', 'medium', '--config', config])).code, 0);
      // The same settings saved by Windows PowerShell 5 (UTF-16 with a byte order mark).
      const utf16 = path.join(broad, 'settings-utf16.json');
      await fs.writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(await fs.readFile(config, 'utf8'), 'utf16le')]));
      assert.equal((await runCli(['audit', '--evidence', broad, '--fail-on', 'medium', '--config', utf16])).code, 0);
    });

    it('2 for usage mistakes, each message naming the culprit', async () => {
      const cases: [string[], RegExp][] = [
        [['audit', '--evidence', DEMO, '--colour'], /unknown option --colour/],
        [['audit', '--evidence'], /--evidence needs a value/],
        [['audit', '--evidence', 'no/such/folder'], /Evidence folder not found: no\/such\/folder/],
        [['audit', '--evidence', DEMO, '--format', 'xml'], /--format must be one of table, json, sarif, markdown, not "xml"/],
        [['audit', '--evidence', DEMO, '--fail-on', 'severe'], /--fail-on must be one of critical, high, medium, low, info, none/],
        [['audit', '--evidence', DEMO, '--config', 'missing.json'], /cannot read the settings file missing\.json: no such file/],
        [['audit', '--evidence', DEMO, 'extra'], /unexpected argument "extra"/],
        [['frobnicate'], /unknown command "frobnicate"/],
      ];
      for (const [argv, message] of cases) {
        const result = await runCli(argv);
        assert.equal(result.code, 2, argv.join(' '));
        assert.match(result.stderr, message);
        assert.equal(result.stdout, '', 'no report on a usage error');
      }
    });

    it('2 for a bad settings file, naming the file and where', async () => {
      const dir = await evidenceFolder({});
      const broken = path.join(dir, 'broken.json');
      await fs.writeFile(broken, '{\n  "approvedSources": ["10.0.0.0/8",]\n  "x": 1\n}');
      let result = await runCli(['audit', '--evidence', DEMO, '--config', broken]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /the settings file .*broken\.json is not valid JSON: CommaExpected at line 3, column 3/);
      const typo = path.join(dir, 'typo.json');
      await fs.writeFile(typo, JSON.stringify({ approvedSource: ['10.0.0.0/8'], approvedSources: ['not-a-cidr'] }));
      result = await runCli(['audit', '--evidence', DEMO, '--config', typo]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /typo\.json has 2 problems/);
      assert.match(result.stderr, /typo\.json: approvedSource: unknown setting/);
      assert.match(result.stderr, /typo\.json: approvedSources\[0\]: "not-a-cidr" is not a CIDR/);
    });

    it('2 when an evidence file is unreadable, while still reporting what loaded', async () => {
      const files = oneClusterAccount(3306, open3306);
      files['describe-db-instances.json'] = '{ "DBInstances": [ }';
      const dir = await evidenceFolder(files);
      const result = await runCli(['audit', '--evidence', dir, '--format', 'json']);
      assert.equal(result.code, 2);
      const json = JSON.parse(result.stdout) as JsonReport;
      assert.ok(json.findings.some((f: JsonFinding) => f.ruleId === 'AURSG-001'), 'the rest was judged');
      assert.equal(json.errors.length, 1);
      assert.match(json.errors[0]!.message, /^describe-db-instances\.json: invalid JSON at line 1, column 20/);
      assert.equal(json.errors[0]!.line, 1);
      assert.equal(json.errors[0]!.column, 20);
      assert.ok(json.errors[0]!.file?.endsWith('describe-db-instances.json'));
      assert.match(result.stderr, /describe-db-instances\.json:1:20/);
    });
  });

  describe('table, Markdown', () => {
    it('prints a table grouped by cluster, worst cluster first, without colour when not a terminal', async () => {
      const { stdout, code } = await runCli(['audit', '--evidence', DEMO, '--config', DEMO_CONFIG]);
      assert.equal(code, 1);
      assert.ok(!stdout.includes('\u001b['), 'no escape codes');
      const order = ['analytics-pg', 'legacy-orders', 'ledger-pg', 'payments-aurora'].map((c) => stdout.indexOf(`\n${c}  `));
      assert.ok(order.every((i) => i > 0), 'every cluster has a heading');
      assert.deepEqual([...order].sort((a, b) => a - b), order, 'worst first, clean ones last');
      assert.match(stdout, /\nledger-pg .* no findings\n/);
      assert.match(stdout, /CRITICAL +AURSG-009-[0-9a-f]{12} +Database instance reachable from the internet +instance analytics-pg-1/);
      assert.match(stdout, /\[suppressed: The bastion needs outbound internet/);
      assert.match(stdout, /4 clusters, 12 security groups: \d+ critical, .*2 suppressed\.\n$/);
    });

    it('puts where a finding is on its own line when the terminal is too narrow for one', async () => {
      const narrow = await runCli(['audit', '--evidence', DEMO], { isTTY: true, columns: 100, env: { NO_COLOR: '1' } });
      // Two spaces, CRITICAL, two, the id (22), two: the second line starts under the title, 36 columns in.
      assert.match(narrow.stdout, /\n {2}CRITICAL {2}AURSG-009-[0-9a-f]{12} {2}Database instance reachable from the internet\n {36}instance analytics-pg-1 \/ analytics-db/);
      const wide = await runCli(['audit', '--evidence', DEMO], { isTTY: true, columns: 400, env: { NO_COLOR: '1' } });
      assert.match(wide.stdout, /\n {2}CRITICAL {2}AURSG-009-[0-9a-f]{12} {2}Database instance reachable from the internet +instance analytics-pg-1/);
    });

    it('colours on a terminal, not with NO_COLOR or --no-color', async () => {
      const tty = await runCli(['audit', '--evidence', DEMO], { isTTY: true });
      assert.ok(tty.stdout.includes('\u001b[1;31mCRITICAL'));
      const noColor = await runCli(['audit', '--evidence', DEMO], { isTTY: true, env: { NO_COLOR: '1' } });
      assert.ok(!noColor.stdout.includes('\u001b['));
      const flag = await runCli(['audit', '--evidence', DEMO, '--no-color'], { isTTY: true });
      assert.ok(!flag.stdout.includes('\u001b['));
    });

    it('never passes control characters from AWS names to the terminal', async () => {
      const files = oneClusterAccount(3306, open3306);
      (files['describe-security-groups.json'] as GroupsFile).SecurityGroups[0]!.GroupName = 'db\u001b[2J\u001b]0;owned\u0007\nFAKE LINE';
      const dir = await evidenceFolder(files);
      for (const format of ['table', 'markdown']) {
        const { stdout } = await runCli(['audit', '--evidence', dir, '--format', format]);
        // eslint-disable-next-line no-control-regex
        assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(stdout), `${format}: no raw control characters`);
        assert.ok(!stdout.includes('\nFAKE LINE'), `${format}: a newline in a name does not start a line`);
      }
    });

    it('prints a Markdown report with each finding id and the rules it cites', async () => {
      const { stdout } = await runCli(['audit', '--evidence', DEMO, '--config', DEMO_CONFIG, '--format', 'markdown']);
      const json = JSON.parse((await runCli(['audit', '--evidence', DEMO, '--config', DEMO_CONFIG, '--format', 'json'])).stdout) as JsonReport;
      assert.match(stdout, /^# Aurora security group audit\n/);
      assert.match(stdout, /\n### Cluster analytics-pg\n/);
      for (const f of json.findings) assert.ok(stdout.includes(`\`${f.id}\``), f.id);
      for (const id of ALL_RULES) assert.ok(stdout.includes(`\n### ${id}\n`), id);
      assert.match(stdout, /samples\/demo-account\/describe-security-groups\.json:\d+:\d+/);
    });
  });

  describe('IaC files', () => {
    it('audits CloudFormation and Terraform with --iac, locating findings in the file', async () => {
      for (const file of ['samples/iac/aurora-cloudformation.yaml', 'samples/iac/aurora.tf']) {
        const result = await runCli(['audit', '--iac', file, '--format', 'json', '--fail-on', 'none']);
        assert.equal(result.code, 0, result.stderr);
        const json = JSON.parse(result.stdout) as JsonReport;
        assert.deepEqual(json.targets.map((t) => [t.kind, t.label]), [['iac', file]]);
        assert.ok(json.findings.length > 0, file);
        for (const finding of json.findings.filter((f) => f.location)) assert.equal(finding.location!.file, file);
        assert.ok(json.findings.every((f) => f.fixes.length === 0), 'IaC is fixed in the template, not with AWS CLI commands');
      }
    });

    it('exits 2 for a missing file or one that is not IaC', async () => {
      let result = await runCli(['audit', '--iac', 'nope.yaml']);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /cannot read the IaC file nope\.yaml: no such file/);
      result = await runCli(['audit', '--iac', 'package.json']);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /package\.json is neither a CloudFormation template .* nor a Terraform \.tf or \.tf\.json file/);
    });
  });

  describe('live flags', () => {
    it('audits the default profile when no source is named, and says how to name one when that fails', async function () {
      this.timeout(60_000);
      const empty = await evidenceFolder({});
      const env = { PATH: process.env.PATH, AWS_CONFIG_FILE: path.join(empty, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(empty, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true' };
      const result = await runCli(['audit'], { env });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /default/);
      assert.match(result.stderr, /no source was named, so the default AWS profile was audited; name one with --evidence DIR, --iac FILE or --profile P/);
    });

    it('hands --profile, --region and --endpoint-url to the AWS layer, and a failing target is an error of its own', async function () {
      this.timeout(60_000);
      const empty = await evidenceFolder({});
      const env = {
        PATH: process.env.PATH, AWS_CONFIG_FILE: path.join(empty, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(empty, 'credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      const result = await runCli(['audit', '--profile', 'nobody', '--region', 'eu-west-1', '--endpoint-url', 'http://127.0.0.1:9', '--format', 'json'], { env, cwd: REPO });
      assert.equal(result.code, 2);
      const json = JSON.parse(result.stdout) as JsonReport;
      assert.equal(json.findings.length, 0);
      assert.equal(json.errors.length, 1);
      assert.equal(json.errors[0]!.profile, 'nobody');
      assert.match(json.errors[0]!.message, /nobody/);
      assert.match(result.stderr, /aurora-sg: nobody.*: .*nobody/);
    });
  });
});
