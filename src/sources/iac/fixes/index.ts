// Code fixes for IaC findings, as text in and edits out (no VS Code, no I/O): the quick fixes
// and `aurora-sg fix` both come from here. Every candidate edit is applied to the text, the
// result read and audited again, and kept only when the finding is gone and nothing new came
// (verify.ts). The preferred fix is the first that passes of: the approved sources in place of
// the risky one (connectivity kept for them), egress limited to the VPC, the database port only,
// the instance private, the rule removed.

import type { AuditSettings } from '../../../model/settings';
import type { Finding, Instance, Rule, SourceKind } from '../../../model/types';
import { ruleKey } from '../../../model/fromAws';
import { databasePortsFor, describeRule, reachesPort } from '../../../rules';
import { readIacFile, type IacRead, type ModuleFile } from '..';
import type { CfnRuleOrigin } from '../cfn/origins';
import type { TfRuleOrigin } from '../terraform/origins';
import { IGNORE_MARKER } from '../suppressions';
import * as cfn from './cloudformation';
import { cloudFormationSource, terraformSource, type Classified, type NewSource } from './newSource';
import * as tf from './terraform';
import { applyEdits, indentOf, lineBreak, lineStart, type TextEdit } from './text';
import { auditRead, auditText, verifyFix, verifySuppression, type Audited } from './verify';

export { applyEdits, type TextEdit } from './text';
export { unifiedDiff } from './diff';

export type CodeFixKind = 'approved-sources' | 'approved-sources-port' | 'typed-source' | 'narrow-port' | 'remove-rule' | 'make-private' | 'egress-vpc' | 'suppress';

export interface CodeFix {
  kind: CodeFixKind;
  title: string;
  findingId: string;
  /** Offsets into the text the fix was computed for. */
  edits: TextEdit[];
  preferred: boolean;
}

export interface RefusedFix { kind: CodeFixKind; title: string; why: string }

export interface FixInput {
  file: string;
  text: string;
  settings: AuditSettings;
  /** The other files of a Terraform module, which the file is read with (its variables.tf). */
  siblings?: readonly ModuleFile[];
}

export interface FixList { finding: Finding; fixes: CodeFix[]; refused: RefusedFix[] }

interface Located { read: IacRead; before: Audited; finding: Finding }

const ORDER: CodeFixKind[] = ['approved-sources', 'approved-sources-port', 'egress-vpc', 'typed-source', 'narrow-port', 'make-private', 'remove-rule'];

/** The finding of the file with this id (or a unique prefix of it), with the file read and audited. */
export function locateFinding(input: FixInput, findingId: string): Located | { why: string } {
  const read = readIacFile(input.file, input.text, input.siblings ? { siblings: input.siblings } : {});
  const before = auditRead(read, input.settings);
  const exact = before.findings.find((f) => f.id === findingId);
  const matches = exact ? [exact] : before.findings.filter((f) => f.id.startsWith(findingId));
  if (matches.length === 1) return { read, before, finding: matches[0] as Finding };
  return { why: matches.length ? `${findingId} matches ${matches.length} findings; give more of the id` : `${findingId} is not a finding of this file` };
}

/** The finding's rules (several when rules together make it), as this reading's objects. */
function rulesOf(located: Located): Rule[] {
  const { finding } = located;
  return [finding.rule, ...(finding.relatedRules ?? [])].filter((r): r is Rule => !!r);
}

function originOf(located: Located, rule: Rule): { tf?: TfRuleOrigin; cfn?: CfnRuleOrigin } {
  const origins = located.read.origins;
  // Findings come from auditText's own reading: find the rule of this reading by its identity.
  const key = ruleKey(rule);
  if (origins.format === 'terraform') {
    for (const [r, o] of origins.origins.rules) if (ruleKey(r) === key) return { tf: o };
  } else if (origins.format !== 'terraform-json') {
    for (const [r, o] of origins.origins.rules) if (ruleKey(r) === key) return { cfn: o };
  }
  return {};
}

type Built = { ok: true; edits: TextEdit[] } | { ok: false; why: string };

/** Applies one rule's edit for each of the finding's rules in turn (they may share a declaration), as one edit of the text. */
function forEachRule(input: FixInput, located: Located, edit: (read: IacRead, rule: Rule, origin: { tf?: TfRuleOrigin; cfn?: CfnRuleOrigin }) => Built): Built {
  const rules = rulesOf(located);
  if (!rules.length) return { ok: false, why: 'the finding is not about a rule' };
  if (rules.length === 1) return edit(located.read, rules[0] as Rule, originOf(located, rules[0] as Rule));
  let text = input.text;
  for (const rule of rules) {
    const read = readIacFile(input.file, text, located.read.context);
    const current = { read, before: located.before, finding: located.finding };
    const built = edit(read, rule, originOf(current, rule));
    if (!built.ok) return built;
    text = applyEdits(text, built.edits);
  }
  return { ok: true, edits: [wholeChange(input.text, text)] };
}

/** The one edit that turns `before` into `after`: the span between their common start and end. */
function wholeChange(before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { start, end: before.length - end, newText: after.slice(start, after.length - end) };
}

function replaceWith(read: IacRead, origin: { tf?: TfRuleOrigin; cfn?: CfnRuleOrigin }, sources: NewSource[]): Built {
  if (read.origins.format === 'terraform' && origin.tf) return tf.replaceSource(read.text, origin.tf, read.origins.origins, sources);
  if (read.origins.format !== 'terraform' && read.origins.format !== 'terraform-json' && origin.cfn) return cfn.replaceSource(read.text, read.origins.origins, origin.cfn, sources);
  return { ok: false, why: unsupported(read) };
}

function narrow(read: IacRead, rule: Rule, origin: { tf?: TfRuleOrigin; cfn?: CfnRuleOrigin }, port: number): Built {
  if (read.origins.format === 'terraform' && origin.tf) return tf.narrowPort(read.text, origin.tf, rule, port);
  if (read.origins.format !== 'terraform' && read.origins.format !== 'terraform-json' && origin.cfn) return cfn.narrowPort(read.text, read.origins.origins, origin.cfn, port);
  return { ok: false, why: unsupported(read) };
}

function remove(read: IacRead, origin: { tf?: TfRuleOrigin; cfn?: CfnRuleOrigin }): Built {
  if (read.origins.format === 'terraform' && origin.tf) return tf.removeRule(read.text, origin.tf);
  if (read.origins.format !== 'terraform' && read.origins.format !== 'terraform-json' && origin.cfn) return cfn.removeRule(read.text, read.origins.origins, origin.cfn);
  return { ok: false, why: unsupported(read) };
}

function unsupported(read: IacRead): string {
  if (read.origins.format !== 'terraform-json') return 'the rule is not written in the file (it comes from a value set elsewhere)';
  return read.origins.of === 'show'
    ? 'the output of terraform show -json is fixed in the .tf files that produced it'
    : 'a .tf.json file is generated (CDK for Terraform, a script): fix the code that generates it';
}

/** Approved sources (CIDRs, sg-, pl- ids) as the file writes them. */
function approvedSources(read: IacRead, spellings: readonly string[], hint: SourceKind): NewSource[] | string {
  const out: NewSource[] = [];
  for (const spelling of spellings) {
    const classified = classify(read, spelling, hint);
    if (!classified.ok) return classified.why;
    out.push(classified.source);
  }
  return out;
}

function classify(read: IacRead, typed: string, hint: SourceKind): Classified {
  if (read.origins.format === 'terraform') return terraformSource(typed, read.origins.origins, hint);
  if (read.origins.format === 'terraform-json') return { ok: false, why: unsupported(read) };
  return cloudFormationSource(typed, read.origins.origins, hint);
}

/** The database ports a rule of this finding is judged against, that it reaches. */
function portsFor(located: Located, settings: AuditSettings, rule: Rule): number[] {
  const inventory = located.read.inventory;
  const cluster = inventory.clusters.find((c) => c.clusterId === located.finding.clusterId);
  const ports = cluster ? [cluster.port] : databasePortsFor(inventory, settings);
  return ports.filter((p) => reachesPort(rule, p));
}

function opensMoreThan(rule: Rule, port: number): boolean {
  return rule.protocol !== 'tcp' || rule.fromPort !== port || rule.toPort !== port;
}

interface Candidate { kind: CodeFixKind; title: string; build: () => Built }

function candidates(input: FixInput, located: Located, approved: readonly string[]): Candidate[] {
  const { finding, read } = located;
  const out: Candidate[] = [];
  const rules = rulesOf(located);
  const rule = rules[0];
  const terraform = read.origins.format === 'terraform';
  if (rule?.direction === 'ingress') {
    const risky = rules.map((r) => r.source.value).join(' and ');
    if (approved.length) {
      const sources = approvedSources(read, approved, rule.source.kind);
      const shown = approved.length > 3 ? `${approved.slice(0, 3).join(', ')}, ...` : approved.join(', ');
      if (typeof sources === 'string') out.push({ kind: 'approved-sources', title: `Replace ${risky} with the approved sources`, build: () => ({ ok: false, why: sources }) });
      else {
        out.push({ kind: 'approved-sources', title: `Replace ${risky} with the approved sources (${shown})`, build: () => forEachRule(input, located, (r, _rule, o) => replaceWith(r, o, sources)) });
        for (const port of portsFor(located, input.settings, rule).filter((p) => opensMoreThan(rule, p))) {
          out.push({
            kind: 'approved-sources-port',
            title: `Replace ${risky} with the approved sources (${shown}), on tcp ${port} only`,
            // Narrowed first, then found again by its new ports, then given the approved sources.
            build: () => forEachRule(input, located, (r, x, o) => {
              const narrowed: Rule = { ...x, protocol: 'tcp', fromPort: port, toPort: port };
              return chain(r, input.file, [(t) => narrow(t, x, o, port), (t) => replaceWith(t, originOf({ read: t, before: located.before, finding }, narrowed), sources)]);
            }),
          });
        }
      }
    }
  }
  if (rule?.direction === 'egress' && finding.groupId) {
    const destination = egressDestination(read, finding.groupId, rule.source.kind);
    if (destination) out.push({ kind: 'egress-vpc', title: `Limit egress to the VPC (${destination.label})`, build: () => egressTo(input, located, destination) });
  }
  if (rule?.direction === 'ingress') {
    for (const port of portsFor(located, input.settings, rule).filter((p) => opensMoreThan(rule, p))) {
      out.push({ kind: 'narrow-port', title: `Narrow to tcp ${port}, the database port`, build: () => forEachRule(input, located, (r, x, o) => narrow(r, x, o, port)) });
    }
  }
  if (finding.instanceId) {
    const instance = read.inventory.instances.find((i) => i.instanceId === finding.instanceId);
    if (instance?.publiclyAccessible) {
      out.push({ kind: 'make-private', title: `Make ${finding.instanceId} private (${terraform ? 'publicly_accessible = false' : 'PubliclyAccessible: false'})`, build: () => makePrivate(read, instance) });
    }
  }
  if (rule && origin(located, rule) !== 'implicit') {
    out.push({ kind: 'remove-rule', title: `Remove the rule (${rules.map((r) => describeRule(r)).join('; ')})`, build: () => forEachRule(input, located, (r, _x, o) => remove(r, o)) });
  }
  return out;
}

function origin(located: Located, rule: Rule): string | undefined {
  return originOf(located, rule).cfn?.container.kind;
}

/** Edits one after the other, each on the text the previous left, as one edit. */
function chain(read: IacRead, file: string, steps: ((read: IacRead) => Built)[]): Built {
  let text = read.text;
  let current = read;
  for (const step of steps) {
    const built = step(current);
    if (!built.ok) return built;
    text = applyEdits(text, built.edits);
    current = readIacFile(file, text, read.context);
  }
  return { ok: true, edits: [wholeChange(read.text, text)] };
}

function makePrivate(read: IacRead, instance: Instance): Built {
  if (read.origins.format === 'terraform') return tf.makePrivate(read.origins.origins, instance);
  if (read.origins.format === 'terraform-json') return { ok: false, why: unsupported(read) };
  return cfn.makePrivate(read.text, read.origins.origins, instance);
}

function egressDestination(read: IacRead, groupId: string, kind: SourceKind): NewSource | undefined {
  if (read.origins.format === 'terraform') return tf.vpcCidrSource(read.origins.origins, groupId, kind);
  if (read.origins.format === 'terraform-json' || kind === 'cidr6') return undefined;
  return cfn.vpcCidrSource(read.origins.origins, groupId);
}

function egressTo(input: FixInput, located: Located, destination: NewSource): Built {
  return forEachRule(input, located, (read, _rule, o) => {
    if (o.cfn?.container.kind === 'implicit' && read.origins.format !== 'terraform' && read.origins.format !== 'terraform-json') {
      return cfn.addExplicitEgress(read.text, read.origins.origins, o.cfn, destination);
    }
    return replaceWith(read, o, [destination]);
  });
}

function verified(input: FixInput, located: Located, kind: CodeFixKind, title: string, built: Built): { fix?: CodeFix; refused?: RefusedFix } {
  if (!built.ok) return { refused: { kind, title, why: built.why } };
  const after = auditText(input.file, applyEdits(input.text, built.edits), input.settings, located.read.context);
  const verdict = verifyFix(located.before, after, located.finding);
  if (!verdict.ok) return { refused: { kind, title, why: verdict.why } };
  return { fix: { kind, title, findingId: located.finding.id, edits: built.edits, preferred: false } };
}

/** Every code fix that passes for the finding, the preferred first, and why each other candidate does not. */
export function iacCodeFixes(input: FixInput, findingId: string, options: { approved?: readonly string[] } = {}): FixList | { why: string } {
  const located = locateFinding(input, findingId);
  if ('why' in located) return located;
  const fixes: CodeFix[] = [];
  const refused: RefusedFix[] = [];
  const approved = options.approved ?? input.settings.approvedSources;
  for (const candidate of candidates(input, located, approved)) {
    const outcome = verified(input, located, candidate.kind, candidate.title, candidate.build());
    if (outcome.fix) fixes.push(outcome.fix);
    if (outcome.refused) refused.push(outcome.refused);
  }
  fixes.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  if (fixes[0]) fixes[0].preferred = true;
  return { finding: located.finding, fixes, refused };
}

/**
 * The fix that puts what the user typed (a CIDR, an id, a reference of the file) in place of the
 * risky source, or, for egress, as the destination: checked as typed, then verified like the others.
 */
export function typedSourceFix(input: FixInput, findingId: string, typed: string): { fix: CodeFix } | { why: string } {
  const located = locateFinding(input, findingId);
  if ('why' in located) return located;
  const rule = rulesOf(located)[0];
  if (!rule) return { why: `${located.finding.ruleId} is not about one rule: there is no source to replace` };
  const classified = classify(located.read, typed, rule.source.kind);
  if (!classified.ok) return { why: classified.why };
  const source = classified.source;
  const title = rule.direction === 'egress' ? `Limit egress to ${source.label}` : `Replace ${rulesOf(located).map((r) => r.source.value).join(' and ')} with ${source.label}`;
  const built = rule.direction === 'egress' ? egressTo(input, located, source) : forEachRule(input, located, (r, _x, o) => replaceWith(r, o, [source]));
  const outcome = verified(input, located, 'typed-source', title, built);
  return outcome.fix ? { fix: outcome.fix } : { why: (outcome.refused as RefusedFix).why };
}

/** A one-line `aurora-sg:ignore` comment above the finding's rule (or resource), verified to suppress it. */
export function suppressionFix(input: FixInput, findingId: string, reason: string): { fix: CodeFix } | { why: string } {
  const located = locateFinding(input, findingId);
  if ('why' in located) return located;
  const format = located.read.origins.format;
  if (format === 'terraform-json' || format === 'cloudformation-json') {
    return { why: 'JSON has no comments: suppress it in the settings (auroraSg.suppressions) by its resource instead' };
  }
  // One line of plain text: control characters and line separators would break the comment.
  const clean = [...reason].map((c) => (c.charCodeAt(0) < 32 || c === '\u007f' || c === '\u2028' || c === '\u2029' ? ' ' : c)).join('').replace(/\s+/g, ' ').replace(/\*\//g, '* /').trim();
  if (!clean) return { why: 'a suppression needs a reason' };
  const { finding } = located;
  const at = (finding.rule?.location ?? finding.location)?.start;
  if (!at) return { why: 'the finding has no place in the file to put a comment above' };
  const text = input.text;
  const offset = offsetOf(text, at.line, at.character);
  const start = lineStart(text, offset);
  const indent = indentOf(text, start).replace(/-\s*$/, '');
  const comment = `${indent}# ${IGNORE_MARKER} ${finding.ruleId} ${clean}${lineBreak(text)}`;
  const edits = [{ start, end: start, newText: comment }];
  const after = auditText(input.file, applyEdits(text, edits), input.settings, located.read.context);
  const verdict = verifySuppression(located.before, after, finding, clean);
  if (!verdict.ok) return { why: verdict.why };
  return { fix: { kind: 'suppress', title: `Suppress ${finding.ruleId} here with a comment`, findingId: finding.id, edits, preferred: false } };
}

function offsetOf(text: string, line: number, character: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const next = text.slice(offset).search(/\r\n|\r|\n/);
    if (next < 0) return text.length;
    offset += next + (text.slice(offset + next, offset + next + 2) === '\r\n' ? 2 : 1);
  }
  return offset + character;
}
