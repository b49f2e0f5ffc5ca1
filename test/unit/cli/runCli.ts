// Runs aurora-sg in-process with a captured CliIo.

import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as awsLayer from '../../../src/aws';
import type { CliIo } from '../../../src/cli/io';
import { run } from '../../../src/cli/run';

export const REPO = path.resolve(__dirname, '../../..');
export const DEMO = path.join(REPO, 'samples/demo-account');
export const DEMO_CONFIG = path.join(DEMO, 'aurora-sg.config.json');

export interface CliResult { code: number; stdout: string; stderr: string }

export async function runCli(argv: string[], options: Partial<CliIo> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (text) => { stdout += text; },
    err: (text) => { stderr += text; },
    cwd: REPO,
    env: { PATH: process.env.PATH },
    isTTY: false,
    loadAws: () => Promise.resolve(awsLayer),
    ...options,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/** A fresh folder holding the given evidence files (objects are written as the AWS CLI indents them). */
export async function evidenceFolder(files: Record<string, unknown>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aurora-sg-cli-'));
  for (const [name, content] of Object.entries(files)) {
    await fs.writeFile(path.join(dir, name), typeof content === 'string' ? content : `${JSON.stringify(content, null, 4)}\n`);
  }
  return dir;
}

/** One Aurora MySQL cluster on `port` with one group holding `ingress`; no other files. */
export function oneClusterAccount(port: number, ingress: unknown[]): Record<string, unknown> {
  return {
    'describe-db-clusters.json': { DBClusters: [{
      DBClusterIdentifier: 'shop', Engine: 'aurora-mysql', Status: 'available', Port: port,
      DBClusterArn: 'arn:aws:rds:eu-west-1:123456789012:cluster:shop',
      DBClusterMembers: [], VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0db', Status: 'active' }],
    }] },
    'describe-security-groups.json': { SecurityGroups: [{
      Description: 'shop db', GroupName: 'shop-db', GroupId: 'sg-0db', OwnerId: '123456789012', VpcId: 'vpc-1',
      IpPermissions: ingress, IpPermissionsEgress: [],
    }] },
  };
}
