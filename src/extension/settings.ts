// Reads auroraSg.* settings. The audit part goes through parseSettings, the one schema the
// CLI's --config file shares; problems are logged, naming the setting.

import * as vscode from 'vscode';
import { parseSettings } from '../rules';
import type { AuditSettings } from '../model/settings';
import type { Shell } from '../remediation';
import { organizationSettings, stringList, type OrganizationSetting } from './core/orgSettings';

export type { OrganizationSetting } from './core/orgSettings';

export const SECTION = 'auroraSg';

export type RunMode = 'sdk' | 'terminal';

export interface ExtensionSettings {
  audit: AuditSettings;
  problems: string[];
  profiles: string[];
  regions: string[];
  endpointUrl?: string;
  evidenceFolders: string[];
  preferredShell: Shell;
  runMode: RunMode;
  organizations: OrganizationSetting[];
}

const AUDIT_KEYS = ['approvedSources', 'broadCidrThresholds', 'databasePorts', 'severityOverrides', 'suppressions'] as const;

export function readSettings(): ExtensionSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const raw: Record<string, unknown> = {};
  for (const key of AUDIT_KEYS) {
    const value = config.get(key);
    if (value !== undefined) raw[key] = value;
  }
  const parsed = parseSettings(raw, 'VS Code settings (auroraSg.*)');
  const { settings } = parsed;
  const problems = [...parsed.problems];
  const endpointUrl = config.get<string>('endpointUrl')?.trim();
  const shell = config.get<string>('preferredShell', 'auto');
  return {
    audit: settings,
    problems,
    profiles: stringList(config.get('profiles')),
    regions: stringList(config.get('regions')),
    endpointUrl: endpointUrl || undefined,
    evidenceFolders: stringList(config.get('evidenceFolders')),
    preferredShell: shell === 'bash' || shell === 'powershell' ? shell : process.platform === 'win32' ? 'powershell' : 'bash',
    runMode: config.get<string>('runMode') === 'terminal' ? 'terminal' : 'sdk',
    organizations: organizationSettings(config.get('organizations'), problems),
  };
}
