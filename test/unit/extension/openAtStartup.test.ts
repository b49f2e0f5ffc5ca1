// Issue 8: "when the runtime starts, every already open document is audited at once". A window
// restored with a Terraform file open activates the extension (workspaceContains:**/*.tf) before
// any open event comes: the file must get its diagnostics all the same. Run in a fresh Node
// process with the minimal fake `vscode` of the benchmarks, so no test sees it.

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

const CHILD = String.raw`
const path = require('path');
const root = process.argv[1];
const fake = require(path.join(root, 'bench', 'support', 'fake-vscode.cjs'));
fake.install();
const text = 'resource "aws_security_group" "db" {\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
const file = path.join(root, '.tmp', 'restored-window', 'main.tf');
const uri = fake.vscode.Uri.file(file);
// Open before activation, as VS Code restores it: plain text, since no Terraform extension is installed.
fake.vscode.workspace.textDocuments = [{ uri, fileName: file, languageId: 'plaintext', version: 1, isClosed: false, getText: () => text }];
const { activate } = require(path.join(root, 'src', 'extension', 'activate.ts'));
activate(fake.context(root));
const started = Date.now();
const poll = () => {
  const diagnostics = fake.captured.published.get(String(uri));
  if (diagnostics && diagnostics.length) {
    process.stdout.write(JSON.stringify(diagnostics.map((d) => ({ code: d.code && (d.code.value || d.code), line: d.range.start.line, message: d.message }))));
    process.exit(0);
  }
  if (Date.now() - started > 15000) { process.stderr.write('no diagnostics were published for the open file'); process.exit(1); }
  setTimeout(poll, 20);
};
poll();
`;

describe('extension: documents already open when the runtime starts', () => {
  it('audits a Terraform file that was open before activation, with no open event, at once', function () {
    this.timeout(60_000);
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', CHILD, ROOT], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: path.join(ROOT, '.tmp'), AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' } });
    const diagnostics = JSON.parse(out) as { code: string; line: number; message: string }[];
    assert.ok(diagnostics.some((d) => d.code === 'AURSG-001' && d.line === 5), JSON.stringify(diagnostics));
  });
});
