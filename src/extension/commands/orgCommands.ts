// Audit Organization: every account of a configured organization, with progress (accounts done
// of total, findings so far) and cancellation; each region lands in the store as it is read, so
// the tree and the Problems panel fill while the audit runs. Accounts that cannot be read stay
// in the tree as error nodes with AWS's reason.

import * as vscode from 'vscode';
import type { OrgResult } from '../../aws';
import { loadAwsLayer } from '../awsLayer';
import { liveDescriptor } from '../sourceStore';
import type { OrgSession } from '../orgSessions';
import type { Services } from '../services';
import { OrganizationNode } from '../tree/orgNodes';

export interface OrganizationAudit {
  profile: string;
  /** "3 of 4 accounts audited (1 failed)". */
  line: string;
  summary: OrgResult['summary'];
  findings: number;
  cancelled: boolean;
}

async function pickSession(services: Services, arg: unknown): Promise<OrgSession | undefined> {
  if (arg instanceof OrganizationNode) return arg.session;
  const sessions = services.organizations.all();
  if (typeof arg === 'string') {
    const found = services.organizations.find(arg);
    if (!found) throw new Error(`No organization with profile "${arg}" in auroraSg.organizations.`);
    return found;
  }
  if (sessions.length === 0) {
    const open = 'Open Settings';
    if ((await vscode.window.showInformationMessage('Aurora SG: no organization is configured. Add one to auroraSg.organizations (its profile, and optionally the member role, OUs and accounts).', open)) === open) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'auroraSg.organizations');
    }
    return undefined;
  }
  if (sessions.length === 1) return sessions[0];
  const picked = await vscode.window.showQuickPick(sessions.map((s) => ({ label: s.setting.profile, description: s.setting.organizationalUnits.join(', ') || 'every account', session: s })), { title: 'Audit which organization?' });
  return picked?.session;
}

export async function auditOrganization(services: Services, arg?: unknown): Promise<OrganizationAudit | undefined> {
  const session = await pickSession(services, arg);
  if (!session) return undefined;
  const profile = session.setting.profile;
  let findings = 0;
  let cancelled = false;
  const result = await vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification,
    title: `Aurora SG: auditing organization ${profile}`,
    cancellable: true,
  }, async (progress, token) => {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => { cancelled = true; controller.abort(); });
    let reported = 0;
    try {
      return await session.audit({
        signal: controller.signal,
        onTarget: (account, inventory) => {
          const loaded = services.store.put(liveDescriptor(account.credentials, inventory.target.region ?? ''), inventory);
          findings += loaded.findings.filter((f) => !f.suppressed).length;
        },
        onProgress: (p) => {
          const share = p.accountsTotal ? (p.accountsDone / p.accountsTotal) * 100 : 0;
          progress.report({
            message: `${p.accountsDone} of ${p.accountsTotal}${p.listing ? '+' : ''} accounts · ${findings} finding(s) so far`,
            increment: Math.max(0, share - reported),
          });
          reported = Math.max(reported, share);
        },
      });
    } finally {
      cancel.dispose();
    }
  });
  const aws = await loadAwsLayer();
  const line = aws.accountsLine(result.summary);
  const text = `Aurora SG: organization ${profile}: ${line}${cancelled ? ' (cancelled)' : ''}; ${findings} finding(s).`;
  services.log.info(text);
  for (const error of result.errors) services.log.warn(`${error.accountId ? aws.accountLabel(error.accountId, error.accountName) : profile}${error.region ? ` / ${error.region}` : ''}: ${error.message}`);
  // The organization's nodes show the accounts as the audit left them (failures as error nodes).
  services.explorer.redraw();
  if (result.summary.failed || result.summary.partial) void vscode.window.showWarningMessage(`${text} Accounts that could not be read show their reason in the tree.`);
  else void vscode.window.showInformationMessage(text);
  return { profile, line, summary: result.summary, findings, cancelled };
}
