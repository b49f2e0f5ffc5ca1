// The --config file: the audit settings as JSON (comments allowed, as in VS Code's
// settings.json). Any problem is a usage error naming the file and where.

import { parse, type ParseError, printParseErrorCode } from 'jsonc-parser';
import type { AuditSettings } from '../model/settings';
import { parseSettings } from '../rules';
import { describePosition, LineIndex } from '../sources/textPositions';
import { UsageError } from './io';
import { readNamedFile } from './sources';

export async function loadSettingsFile(file: string, cwd: string, command: string): Promise<AuditSettings> {
  return settingsFromText(await readNamedFile(file, cwd, 'settings file', command), file, command);
}

export function settingsFromText(text: string, shownAs: string, command: string): AuditSettings {
  const errors: ParseError[] = [];
  const raw: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const where = describePosition(new LineIndex(text).position(first.offset));
    throw new UsageError(`the settings file ${shownAs} is not valid JSON: ${printParseErrorCode(first.error)} at ${where}`, command);
  }
  const { settings, problems } = parseSettings(raw, shownAs);
  if (problems.length) {
    throw new UsageError(`the settings file ${shownAs} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n  ${problems.join('\n  ')}`, command);
  }
  return settings;
}
