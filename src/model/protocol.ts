import type { Protocol } from './types';

const BY_NAME_OR_NUMBER: Record<string, Protocol> = {
  '-1': 'all',
  all: 'all',
  tcp: 'tcp',
  '6': 'tcp',
  udp: 'udp',
  '17': 'udp',
  icmp: 'icmp',
  '1': 'icmp',
  icmpv6: 'icmpv6',
  '58': 'icmpv6',
};

/**
 * AWS accepts a protocol by name or IANA number; `-1` means all. Returns undefined for
 * something that is neither (the caller reports it).
 */
export function normaliseProtocol(raw: string | number | undefined): Protocol | undefined {
  if (raw === undefined || raw === null) return undefined;
  const text = String(raw).trim().toLowerCase();
  const known = BY_NAME_OR_NUMBER[text];
  if (known) return known;
  if (/^\d{1,3}$/.test(text) && Number(text) <= 255) {
    // "06" is tcp, not a protocol of its own: look the canonical number up again.
    const number = String(Number(text));
    return BY_NAME_OR_NUMBER[number] ?? (number as Protocol);
  }
  return undefined;
}

/** The spelling AWS itself prints (DescribeSecurityGroups): names for tcp/udp/icmp/icmpv6, `-1` for all. */
export function awsProtocol(protocol: Protocol): string {
  return protocol === 'all' ? '-1' : protocol;
}

/** Whether FromPort/ToPort of this protocol are ports (not ICMP type/code, not "every port"). */
export function hasPorts(protocol: Protocol): boolean {
  return protocol === 'tcp' || protocol === 'udp';
}
