// Checks for what users type into input boxes, run as they type (showInputBox's validateInput):
// approved sources (CIDRs, sg- and pl- ids), security group names, profile names, regions and
// the like. A message says what is wrong with which entry; nothing is thrown. Pure.

import { parseCidr } from '../../rules';
import { checkGroupName } from '../../remediation/validate';

export interface InputCheck {
  /** Why the text cannot be used; the input box stays open and shows it. */
  error?: string;
  /** Something worth knowing that does not stop the input (a CIDR written in its AWS form). */
  note?: string;
}

/** Splits "10.0.0.0/16, sg-0123  pl-0abc" into its entries (commas and white space separate). */
export function sourceEntries(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

/** Approved sources, as typed: each a CIDR (or one address), a security group id or a prefix list id. */
export function checkSources(text: string): InputCheck {
  const entries = sourceEntries(text);
  if (!entries.length) return { error: 'Give at least one source: a CIDR such as 10.0.0.0/16, a security group id (sg-…) or a prefix list id (pl-…).' };
  const notes: string[] = [];
  for (const entry of entries) {
    if (/^sg-[0-9a-f]{8}([0-9a-f]{9})?$/i.test(entry) || /^pl-[0-9a-f]{8}([0-9a-f]{9})?$/i.test(entry)) continue;
    if (/^(sg|pl)-/i.test(entry)) {
      return { error: `${entry} is not a ${entry.toLowerCase().startsWith('sg') ? 'security group' : 'prefix list'} id: "${entry.slice(0, 3)}" then 8 or 17 hexadecimal digits.` };
    }
    const withPrefix = entry.includes('/') ? entry : `${entry}/${entry.includes(':') ? 128 : 32}`;
    const cidr = parseCidr(withPrefix);
    if (!cidr) return { error: `${entry} is not a CIDR (e.g. 10.0.0.0/16 or 2001:db8::/32), a security group id (sg-…) or a prefix list id (pl-…).` };
    if (cidr.prefix === 0) return { error: `${entry} means anywhere: the database would stay open to every address.` };
    if (cidr.text !== withPrefix) notes.push(`${entry} will be written as ${cidr.text}, the form AWS stores.`);
    else if (!entry.includes('/')) notes.push(`${entry} is one address: ${cidr.text}.`);
  }
  return notes.length ? { note: notes.join(' ') } : {};
}

/** A name for the security group a fix creates: what AWS allows, and not one the VPC already has. */
export function checkNewGroupName(name: string, takenInVpc: readonly string[]): InputCheck {
  try {
    checkGroupName(name);
  } catch (error) {
    return { error: error instanceof Error ? error.message.replace(/; choose another with --group-name\.?$/, '.') : String(error) };
  }
  if (takenInVpc.includes(name)) return { error: `A security group named "${name}" already exists in this VPC; choose another name.` };
  return {};
}
