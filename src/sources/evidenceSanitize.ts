// Evidence files are hand-carried and may be hand-edited: a field of the wrong type must
// not reach the converters (which trust AWS's types) nor crash them. AWS uses each member
// name with one type across all the shapes we read, so one table covers every file.

import type { JsonPath } from '../model/fromAws';

type JsonType = 'string' | 'number' | 'boolean' | 'array' | 'object';

const FIELD_TYPES: Record<string, readonly JsonType[]> = {
  // security groups and rules
  GroupId: ['string'], GroupName: ['string'], Description: ['string'], VpcId: ['string'], OwnerId: ['string'],
  UserId: ['string'], CidrIp: ['string'], CidrIpv6: ['string'], CidrIpv4: ['string'], PrefixListId: ['string'],
  IpProtocol: ['string', 'number'], FromPort: ['number'], ToPort: ['number'],
  IpPermissions: ['array'], IpPermissionsEgress: ['array'], IpRanges: ['array'], Ipv6Ranges: ['array'],
  PrefixListIds: ['array'], UserIdGroupPairs: ['array'], Tags: ['array'], Key: ['string'], Value: ['string'],
  SecurityGroupRuleId: ['string'], IsEgress: ['boolean'], ReferencedGroupInfo: ['object'],
  // RDS
  DBClusterIdentifier: ['string'], DBClusterArn: ['string'], Engine: ['string'], EngineVersion: ['string'],
  Status: ['string'], Endpoint: ['string', 'object'], Port: ['number'], DBSubnetGroup: ['string', 'object'],
  DBClusterMembers: ['array'], DBInstanceIdentifier: ['string'], IsClusterWriter: ['boolean'],
  VpcSecurityGroups: ['array'], VpcSecurityGroupId: ['string'], DBInstanceArn: ['string'], DBInstanceClass: ['string'],
  DBInstanceStatus: ['string'], PubliclyAccessible: ['boolean'], Address: ['string'], DbInstancePort: ['number'],
  DBSubnetGroupName: ['string'], Subnets: ['array'], SubnetIdentifier: ['string'],
  // networking
  SubnetId: ['string'], CidrBlock: ['string'], Ipv6CidrBlockAssociationSet: ['array'], Ipv6CidrBlock: ['string'],
  CidrBlockAssociationSet: ['array'], RouteTableId: ['string'], Associations: ['array'], Main: ['boolean'],
  Routes: ['array'], DestinationCidrBlock: ['string'], DestinationIpv6CidrBlock: ['string'],
  DestinationPrefixListId: ['string'], GatewayId: ['string'], NatGatewayId: ['string'],
  EgressOnlyInternetGatewayId: ['string'], TransitGatewayId: ['string'], VpcPeeringConnectionId: ['string'],
  NetworkInterfaceId: ['string'], InstanceId: ['string'], RequesterId: ['string'], InterfaceType: ['string'],
  Groups: ['array'], Attachment: ['object'], NetworkType: ['string'], CidrBlockState: ['object'], Ipv6CidrBlockState: ['object'],
  State: ['string'],
  // network ACLs
  NetworkAclId: ['string'], IsDefault: ['boolean'], Entries: ['array'], RuleNumber: ['number'], Egress: ['boolean'],
  Protocol: ['string'], RuleAction: ['string'], PortRange: ['object'], From: ['number'], To: ['number'], IcmpTypeCode: ['object'],
  // prefix lists
  Cidr: ['string'], PrefixListName: ['string'],
};

function typeOf(value: unknown): JsonType | 'null' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

export interface TypeProblem { path: JsonPath; field: string; expected: readonly JsonType[]; found: string }

/**
 * Removes fields whose type is not the one AWS prints, and empties array elements that
 * should be objects but are not, so the converters see only well-typed input. Returns what it removed.
 */
export function sanitizeAwsItem(item: Record<string, unknown>, basePath: JsonPath): TypeProblem[] {
  const problems: TypeProblem[] = [];
  const stack: { value: unknown; path: JsonPath }[] = [{ value: item, path: basePath }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (Array.isArray(value)) {
      value.forEach((element, i) => stack.push({ value: element, path: [...path, i] }));
      continue;
    }
    if (typeOf(value) !== 'object') continue;
    const record = value as Record<string, unknown>;
    for (const [field, child] of Object.entries(record)) {
      const expected = FIELD_TYPES[field];
      const found = typeOf(child);
      if (expected && !expected.includes(found as JsonType)) {
        problems.push({ path: [...path, field], field, expected, found });
        delete record[field];
        continue;
      }
      if (found === 'array') {
        // Every list member in the table holds AWS structures; a stray scalar or null would crash a converter.
        if (expected) {
          const elements = child as unknown[];
          for (let i = 0; i < elements.length; i++) {
            if (typeOf(elements[i]) === 'object') continue;
            problems.push({ path: [...path, field, i], field: `${field}[${i}]`, expected: ['object'], found: typeOf(elements[i]) });
            // Replaced, not removed, so later elements keep the index that locates them in the file.
            elements[i] = {};
          }
        }
        stack.push({ value: child, path: [...path, field] });
      } else if (found === 'object') {
        stack.push({ value: child, path: [...path, field] });
      }
    }
  }
  return problems;
}
