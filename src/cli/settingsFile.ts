// The --config file: the audit settings as JSON (comments allowed, as in VS Code's
// settings.json). Any problem is a usage error naming the file and where.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse, type ParseError, printParseErrorCode } from 'jsonc-parser';
import type { AuditSettings } from '../model/settings';
import { parseSettings } from '../rules';
import { decodeTextBytes } from '../sources/textFiles';
import { describePosition, LineIndex } from '../sources/textPositions';
import { UsageError } from './io';

export async function loadSettingsFile(file: string, cwd: string, command: string): Promise<AuditSettings> {
  const absolute = path.resolve(cwd, file);
  let text: string;
  try {
    // Read like an evidence file: Windows PowerShell 5 writes UTF-16 with `>` and Out-File.
    text = decodeTextBytes(await fs.readFile(absolute));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the settings file ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`, command);
  }
  return settingsFromText(text, file, command);
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
