// An edit is offered only when the file, read again after it, no longer has the finding and has
// no new one: the edited text is parsed and audited exactly as the original was, and their
// findings compared by what each is about (rule id, group, cluster, instance), counted, since an
// edit that changes a rule changes the ids of the findings on it.

import type { AuditSettings } from '../../../model/settings';
import type { Finding } from '../../../model/types';
import { auditInventory } from '../../../rules';
import { readIacFile, type IacContext, type IacRead } from '..';

export interface Audited { findings: Finding[]; errors: string[] }

export function auditText(file: string, text: string, settings: AuditSettings, context: IacContext = {}): Audited {
  return auditRead(readIacFile(file, text, context), settings);
}

export function auditRead(read: IacRead, settings: AuditSettings): Audited {
  const findings = auditInventory(read.inventory, settings);
  return { findings, errors: read.inventory.notes.filter((n) => n.level === 'error').map((n) => n.message) };
}

function subject(finding: Finding): string {
  return [finding.ruleId, finding.groupId ?? '', finding.clusterId ?? '', finding.instanceId ?? ''].join('|');
}

function counts(findings: readonly Finding[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings) out.set(subject(f), (out.get(subject(f)) ?? 0) + 1);
  return out;
}

export type Verdict = { ok: true } | { ok: false; why: string };

/** Whether `after` (the file as the edit leaves it) fixes `target` without a new finding or a syntax error. */
export function verifyFix(before: Audited, after: Audited, target: Finding): Verdict {
  const newErrors = after.errors.filter((e) => !before.errors.includes(e));
  if (newErrors.length) return { ok: false, why: `the file would no longer be read: ${newErrors[0]}` };
  const was = counts(before.findings);
  const is = counts(after.findings);
  const key = subject(target);
  if ((is.get(key) ?? 0) >= (was.get(key) ?? 0)) return { ok: false, why: `the file would still have ${target.ruleId} (${target.title})` };
  for (const [k, n] of is) {
    if (n > (was.get(k) ?? 0)) {
      const added = after.findings.find((f) => subject(f) === k) as Finding;
      return { ok: false, why: `it would add ${added.ruleId} (${added.title}): ${added.message}` };
    }
  }
  return { ok: true };
}

/** Whether `after` keeps every finding and marks `target` suppressed with `reason`. */
export function verifySuppression(before: Audited, after: Audited, target: Finding, reason: string): Verdict {
  if (after.errors.length > before.errors.length) return { ok: false, why: `the file would no longer be read: ${after.errors[0]}` };
  const suppressed = after.findings.filter((f) => subject(f) === subject(target) && f.suppressed?.reason === reason);
  if (!suppressed.length) return { ok: false, why: `the comment would not suppress ${target.ruleId} here` };
  if (after.findings.length !== before.findings.length) return { ok: false, why: 'the comment would change what the file is judged to hold' };
  return { ok: true };
}
