// IaC in VS Code, as a user meets it with no other extension installed: Terraform and
// CloudFormation files get their diagnostics when opened, each code fix applied from the quick-fix
// menu removes its diagnostic, an inline suppression comment marks the finding suppressed, and
// Generate Remediation Plan on an IaC finding offers the code fixes.

import { strict as assert } from 'node:assert';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, closeEditors, codeOf, diagnosticsOf, REPO_ROOT, stubWindow, waitFor } from './helpers';

const TF = `resource "aws_vpc" "main" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_security_group" "db" {
  name   = "payments-db"
  vpc_id = aws_vpc.main.id

  ingress {
    description = "quick test, remove"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "ops"
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_rds_cluster" "main" {
  engine                 = "aurora-postgresql"
  vpc_security_group_ids = [aws_security_group.db.id]
}
`;

const YAML = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  DbGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: orders database
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 3306
          ToPort: 3306
          CidrIp: 0.0.0.0/0
          Description: vendor access
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.0.0.0/16
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-mysql
      VpcSecurityGroupIds: [!GetAtt DbGroup.GroupId]
`;

const JSON_TEMPLATE = `{
  "Resources": {
    "DbGroup": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "reporting",
        "SecurityGroupIngress": [
          { "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIp": "0.0.0.0/0" }
        ],
        "SecurityGroupEgress": [
          { "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/16" }
        ]
      }
    },
    "Cluster": { "Type": "AWS::RDS::DBCluster", "Properties": { "Engine": "aurora-postgresql", "VpcSecurityGroupIds": [{ "Fn::GetAtt": ["DbGroup", "GroupId"] }] } }
  }
}
`;

/** A public instance in a subnet routed to an internet gateway: AURSG-009. */
const NETWORK_TF = readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'iac', 'public-instance.tf'), 'utf8');

let counter = 0;

/** A fresh copy of `text` in the workspace's iac/ folder, opened in an editor. */
async function openFresh(name: string, text: string): Promise<vscode.TextEditor> {
  const folder = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'iac', 'fixes');
  await fs.mkdir(folder, { recursive: true });
  const [base, extension] = [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.'))];
  const file = path.join(folder, `${base}-${++counter}${extension}`);
  await fs.writeFile(file, text);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
}

async function diagnostic(uri: vscode.Uri, ruleId: string, containing?: string): Promise<vscode.Diagnostic> {
  return waitFor(`${ruleId} on ${path.basename(uri.fsPath)}`, async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    return diagnosticsOf(uri).find((d) => codeOf(d) === ruleId && (!containing || document.getText(d.range).includes(containing)));
  });
}

async function quickFixes(uri: vscode.Uri, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
}

/** Applies a quick fix the way the menu does: its edit, then its command. */
async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `${action.title} applied`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

async function gone(uri: vscode.Uri, ruleId: string, before: number): Promise<void> {
  await waitFor(`one ${ruleId} fewer on ${path.basename(uri.fsPath)}`, () => diagnosticsOf(uri).filter((d) => codeOf(d) === ruleId).length < before, 10000);
}

function count(uri: vscode.Uri, ruleId: string): number {
  return diagnosticsOf(uri).filter((d) => codeOf(d) === ruleId).length;
}

describe('IaC in VS Code', function () {
  this.timeout(60000);
  const config = () => vscode.workspace.getConfiguration('auroraSg');

  before(async () => {
    await activateExtension();
  });

  afterEach(async () => {
    await closeEditors();
  });

  after(async () => {
    await config().update('approvedSources', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('gives a Terraform file its diagnostics when opened, with no Terraform extension (the file is plain text)', async () => {
    const editor = await openFresh('main.tf', TF);
    assert.equal(editor.document.languageId, 'plaintext', 'no other extension claims .tf files here');
    const open = await diagnostic(editor.document.uri, 'AURSG-001', '0.0.0.0/0');
    assert.equal(editor.document.getText(open.range), '"0.0.0.0/0"', 'the squiggle covers the CIDR, not the whole block');
    const ports = await diagnostic(editor.document.uri, 'AURSG-005');
    assert.match(editor.document.getText(ports.range), /^from_port\s+= 0\n\s+to_port\s+= 65535$/, 'AURSG-005 is about the ports');
    await diagnostic(editor.document.uri, 'AURSG-008');
  });

  it('gives a Terraform JSON file (.tf.json, as cdktf writes it) its diagnostics when opened, on the CIDR; its quick fixes say why there is no code fix', async () => {
    const text = JSON.stringify({ resource: { aws_security_group: { db: { name: 'db', ingress: [{ from_port: 5432, to_port: 5432, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] } } } }, null, 2);
    const editor = await openFresh('cdk.tf.json', text);
    const open = await diagnostic(editor.document.uri, 'AURSG-001', '0.0.0.0/0');
    assert.equal(editor.document.getText(open.range), '"0.0.0.0/0"', 'the squiggle covers the CIDR');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, open.range, vscode.CodeActionKind.QuickFix.value);
    assert.ok(actions.every((a) => !a.edit || a.edit.size === 0 || a.edit.entries().every(([uri]) => uri.toString() !== editor.document.uri.toString())), 'no edit of a generated file');
  });

  it('reads a Terraform file with the rest of its module: an open port set in variables.tf is marked in main.tf, and goes when variables.tf is edited', async () => {
    const folder = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'iac', `module-${++counter}`);
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(path.join(folder, 'variables.tf'), 'variable "office_cidr" {\n  default = "0.0.0.0/0"\n}\n');
    await fs.writeFile(path.join(folder, 'main.tf'), 'resource "aws_security_group" "db" {\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = "tcp"\n    cidr_blocks = [var.office_cidr]\n  }\n}\n');
    const main = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(path.join(folder, 'main.tf')));
    const open = await diagnostic(main.document.uri, 'AURSG-001');
    assert.equal(main.document.getText(open.range), 'var.office_cidr', 'the squiggle is on the reference, in main.tf');
    const variables = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(path.join(folder, 'variables.tf')), { preview: false });
    const at = variables.document.getText().indexOf('0.0.0.0/0');
    assert.ok(await variables.edit((e) => e.replace(new vscode.Range(variables.document.positionAt(at), variables.document.positionAt(at + '0.0.0.0/0'.length)), '10.1.0.0/16')));
    await waitFor('AURSG-001 gone from main.tf after the unsaved edit of variables.tf', () => count(main.document.uri, 'AURSG-001') === 0, 10000);
  });

  it('gives CloudFormation YAML and JSON templates their diagnostics when opened', async () => {
    for (const [name, text, cidr] of [['stack.yaml', YAML, '0.0.0.0/0'], ['stack.json', JSON_TEMPLATE, '"0.0.0.0/0"']] as const) {
      const editor = await openFresh(name, text);
      const open = await diagnostic(editor.document.uri, 'AURSG-001', '0.0.0.0/0');
      assert.equal(editor.document.getText(open.range), cidr, `${name}: the squiggle covers the CIDR`);
    }
  });

  it('gives terraform show -json output its diagnostics, placed in the JSON', async () => {
    const uri = vscode.Uri.file(path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'iac', 'terraform-plan.json'));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const open = await diagnostic(uri, 'AURSG-001');
    assert.match(editor.document.lineAt(open.range.start.line + 1).text, /"address": "module\.reporting\.aws_vpc_security_group_ingress_rule\.bi"|"cidr_blocks"/);
  });

  it('applies each Terraform code fix from the quick-fix menu, and each removes its diagnostic', async () => {
    await config().update('approvedSources', ['10.20.0.0/16', 'sg-0123456789abcdef0'], vscode.ConfigurationTarget.Workspace);
    const cases: [string, string | undefined, RegExp][] = [
      ['AURSG-001', '0.0.0.0/0', /^Replace 0\.0\.0\.0\/0 with the approved sources \(10\.20\.0\.0\/16, sg-0123456789abcdef0\)$/],
      ['AURSG-001', '0.0.0.0/0', /^Remove the rule/],
      ['AURSG-005', '65535', /^Narrow to tcp 5432, the database port$/],
      ['AURSG-008', undefined, /^Limit egress to the VPC \(aws_vpc\.main\.cidr_block\)$/],
    ];
    for (const [ruleId, containing, title] of cases) {
      const editor = await openFresh('main.tf', TF);
      const uri = editor.document.uri;
      const d = await diagnostic(uri, ruleId, containing);
      const before = count(uri, ruleId);
      const actions = await quickFixes(uri, d);
      const action = actions.find((a) => title.test(a.title));
      assert.ok(action, `${title} among: ${actions.map((a) => a.title).join(' | ')}`);
      assert.equal(action.kind?.value, vscode.CodeActionKind.QuickFix.value);
      await apply(action);
      await gone(uri, ruleId, before);
      assert.ok(editor.document.isDirty, 'the fix is an edit of the document, for the user to review and save');
    }
  });

  it('makes a public instance private from the quick-fix menu, and its AURSG-009 goes', async () => {
    const editor = await openFresh('network.tf', NETWORK_TF);
    const uri = editor.document.uri;
    const d = await diagnostic(uri, 'AURSG-009');
    assert.match(editor.document.getText(d.range), /^publicly_accessible\s*=\s*true$/, 'the squiggle covers what makes the instance reachable');
    const action = (await quickFixes(uri, d)).find((a) => a.title === 'Make aws_rds_cluster_instance.writer private (publicly_accessible = false)');
    assert.ok(action, 'the make-private fix');
    await apply(action);
    await gone(uri, 'AURSG-009', 1);
    assert.ok(editor.document.getText().includes('publicly_accessible = false'));
  });

  it('marks the preferred fix: the one that keeps access for the approved sources', async () => {
    await config().update('approvedSources', ['10.20.0.0/16'], vscode.ConfigurationTarget.Workspace);
    const editor = await openFresh('main.tf', TF);
    const actions = await quickFixes(editor.document.uri, await diagnostic(editor.document.uri, 'AURSG-001', '0.0.0.0/0'));
    assert.deepEqual(actions.filter((a) => a.isPreferred).map((a) => a.title), ['Replace 0.0.0.0/0 with the approved sources (10.20.0.0/16)']);
  });

  it('puts a source the user types in place of the risky one, checked as typed', async () => {
    await config().update('approvedSources', undefined, vscode.ConfigurationTarget.Workspace);
    const editor = await openFresh('main.tf', TF);
    const uri = editor.document.uri;
    const d = await diagnostic(uri, 'AURSG-001', '0.0.0.0/0');
    const action = (await quickFixes(uri, d)).find((a) => a.title === 'Replace 0.0.0.0/0 with a CIDR, variable or group you name…')!;
    assert.ok(action?.command, 'a quick fix that asks');
    const validations: (string | undefined)[] = [];
    const input = stubWindow('showInputBox', (options) => {
      const validate = (options as vscode.InputBoxOptions).validateInput!;
      validations.push(validate('not a source') as string, validate('192.168.0.0/24') as string | undefined);
      return '192.168.0.0/24';
    });
    try {
      await apply(action);
    } finally {
      input.restore();
    }
    assert.match(validations[0] ?? '', /is not a CIDR/);
    assert.equal(validations[1], undefined, 'a private /24 is accepted as typed');
    await gone(uri, 'AURSG-001', 1);
    assert.ok(editor.document.getText().includes('cidr_blocks = ["192.168.0.0/24"]'));
  });

  it('applies the CloudFormation code fixes, in YAML and in JSON', async () => {
    await config().update('approvedSources', ['10.20.0.0/16', 'sg-0123456789abcdef0'], vscode.ConfigurationTarget.Workspace);
    for (const [name, text, title] of [
      ['stack.yaml', YAML, /^Replace 0\.0\.0\.0\/0 with the approved sources/],
      ['stack.yaml', YAML, /^Remove the rule/],
      ['stack.json', JSON_TEMPLATE, /^Replace 0\.0\.0\.0\/0 with the approved sources/],
      ['stack.json', JSON_TEMPLATE, /^Remove the rule/],
    ] as const) {
      const editor = await openFresh(name, text);
      const uri = editor.document.uri;
      const d = await diagnostic(uri, 'AURSG-001', '0.0.0.0/0');
      const action = (await quickFixes(uri, d)).find((a) => title.test(a.title));
      assert.ok(action, `${title} on ${name}`);
      await apply(action);
      await gone(uri, 'AURSG-001', 1);
    }
  });

  it('writes an inline suppression comment that marks the finding suppressed, with its reason', async () => {
    const editor = await openFresh('main.tf', TF);
    const uri = editor.document.uri;
    const d = await diagnostic(uri, 'AURSG-008');
    const action = (await quickFixes(uri, d)).find((a) => a.title === 'Suppress "open egress" here with a comment…')!;
    assert.ok(action?.command);
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []), 'the database calls a partner API');
    await gone(uri, 'AURSG-008', 1);
    assert.ok(editor.document.getText().includes('  # aurora-sg:ignore AURSG-008 the database calls a partner API\n  egress {'));
    const api = await activateExtension();
    const source = await waitFor('the file in the store', () => api.store.all().find((s) => s.descriptor.path === uri.fsPath && s.findings.some((f) => f.ruleId === 'AURSG-008' && f.suppressed)));
    assert.deepEqual(source.findings.find((f) => f.ruleId === 'AURSG-008')?.suppressed, { reason: 'the database calls a partner API' });
  });

  it('Generate Remediation Plan on an IaC finding offers its code fixes, not a dead end', async () => {
    await config().update('approvedSources', undefined, vscode.ConfigurationTarget.Workspace);
    const editor = await openFresh('main.tf', TF);
    const uri = editor.document.uri;
    await diagnostic(uri, 'AURSG-005');
    const api = await activateExtension();
    const source = api.store.all().find((s) => s.descriptor.path === uri.fsPath)!;
    const finding = source.findings.find((f) => f.ruleId === 'AURSG-005')!;
    const offered: string[] = [];
    const pick = stubWindow('showQuickPick', (items) => {
      const list = items as vscode.QuickPickItem[];
      offered.push(...list.map((i) => i.label));
      return list.find((i) => i.label.includes('Narrow to tcp 5432'));
    });
    const information = stubWindow('showInformationMessage', () => undefined);
    try {
      await vscode.commands.executeCommand('auroraSg.generatePlan', { sourceId: source.descriptor.id, findingId: finding.id });
    } finally {
      pick.restore();
      information.restore();
    }
    assert.ok(offered.some((l) => /Narrow to tcp 5432/.test(l)), offered.join(' | '));
    assert.ok(offered.some((l) => /Suppress here with a comment/.test(l)));
    assert.ok(!information.calls.some((c) => /no automatic fix applies/.test(String(c[0]))), 'no dead end');
    await gone(uri, 'AURSG-005', 1);
  });

  it('shows the quick-fix menu on a Terraform finding (screenshot)', async () => {
    await config().update('approvedSources', ['10.20.0.0/16'], vscode.ConfigurationTarget.Workspace);
    const editor = await openFresh('main.tf', TF);
    const d = await diagnostic(editor.document.uri, 'AURSG-001', '0.0.0.0/0');
    const line = TF.split('\n').findIndex((l) => l.includes('cidr_blocks = ["0.0.0.0/0"]'));
    editor.selection = new vscode.Selection(line, 20, line, 20);
    assert.ok(d.range.contains(editor.selection.active));
    editor.revealRange(d.range, vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('editor.action.quickFix');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { requestScreenshot } = require(path.join(REPO_ROOT, 'test', 'host', 'screenshot.cjs')) as { requestScreenshot: (name: string) => Promise<string | undefined> };
    const file = await requestScreenshot('iac-quick-fixes');
    if (process.env.VSCODE_HOST_RESULTS_DIR) assert.ok(file, 'the host saved the screenshot');
    await vscode.commands.executeCommand('hideCodeActionWidget');
  });
});
