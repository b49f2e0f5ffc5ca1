// The JSON shapes AWS returns, as the AWS CLI prints them and as SDK v3 outputs hold them
// (both use the API's PascalCase member names). Only the members the product reads.
// Declared here, not imported from @aws-sdk, so that the pure layers stay SDK-free.

export interface AwsIpRange { CidrIp?: string; Description?: string }
export interface AwsIpv6Range { CidrIpv6?: string; Description?: string }
export interface AwsPrefixListId { PrefixListId?: string; Description?: string }
export interface AwsUserIdGroupPair {
  GroupId?: string;
  GroupName?: string;
  UserId?: string;
  VpcId?: string;
  VpcPeeringConnectionId?: string;
  PeeringStatus?: string;
  Description?: string;
}

export interface AwsIpPermission {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: AwsIpRange[];
  Ipv6Ranges?: AwsIpv6Range[];
  PrefixListIds?: AwsPrefixListId[];
  UserIdGroupPairs?: AwsUserIdGroupPair[];
}

export interface AwsTag { Key?: string; Value?: string }

export interface AwsSecurityGroup {
  GroupId?: string;
  GroupName?: string;
  Description?: string;
  VpcId?: string;
  OwnerId?: string;
  IpPermissions?: AwsIpPermission[];
  IpPermissionsEgress?: AwsIpPermission[];
  Tags?: AwsTag[];
}

export interface AwsSecurityGroupRule {
  SecurityGroupRuleId?: string;
  GroupId?: string;
  GroupOwnerId?: string;
  IsEgress?: boolean;
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  CidrIpv4?: string;
  CidrIpv6?: string;
  PrefixListId?: string;
  ReferencedGroupInfo?: { GroupId?: string; UserId?: string; VpcId?: string; PeeringStatus?: string };
  Description?: string;
}

export interface AwsVpcSecurityGroupMembership { VpcSecurityGroupId?: string; Status?: string }

export interface AwsDBCluster {
  DBClusterIdentifier?: string;
  DBClusterArn?: string;
  Engine?: string;
  EngineVersion?: string;
  Status?: string;
  Port?: number;
  Endpoint?: string;
  DBSubnetGroup?: string;
  DBClusterMembers?: { DBInstanceIdentifier?: string; IsClusterWriter?: boolean }[];
  VpcSecurityGroups?: AwsVpcSecurityGroupMembership[];
  NetworkType?: string;
}

export interface AwsDBInstance {
  DBInstanceIdentifier?: string;
  DBInstanceArn?: string;
  DBInstanceClass?: string;
  Engine?: string;
  DBInstanceStatus?: string;
  DBClusterIdentifier?: string;
  PubliclyAccessible?: boolean;
  Endpoint?: { Address?: string; Port?: number };
  DbInstancePort?: number;
  VpcSecurityGroups?: AwsVpcSecurityGroupMembership[];
  DBSubnetGroup?: {
    DBSubnetGroupName?: string;
    VpcId?: string;
    Subnets?: { SubnetIdentifier?: string }[];
  };
  NetworkType?: string;
}

export interface AwsSubnet {
  SubnetId?: string;
  VpcId?: string;
  CidrBlock?: string;
  Ipv6CidrBlockAssociationSet?: { Ipv6CidrBlock?: string }[];
}

export interface AwsRoute {
  DestinationCidrBlock?: string;
  DestinationIpv6CidrBlock?: string;
  DestinationPrefixListId?: string;
  GatewayId?: string;
  NatGatewayId?: string;
  EgressOnlyInternetGatewayId?: string;
  TransitGatewayId?: string;
  VpcPeeringConnectionId?: string;
  NetworkInterfaceId?: string;
  InstanceId?: string;
  State?: string;
}

export interface AwsRouteTable {
  RouteTableId?: string;
  VpcId?: string;
  Associations?: { Main?: boolean; SubnetId?: string; RouteTableId?: string }[];
  Routes?: AwsRoute[];
}

export interface AwsNetworkInterface {
  NetworkInterfaceId?: string;
  VpcId?: string;
  SubnetId?: string;
  Description?: string;
  RequesterId?: string;
  RequesterManaged?: boolean;
  InterfaceType?: string;
  Groups?: { GroupId?: string; GroupName?: string }[];
  Attachment?: { InstanceId?: string; InstanceOwnerId?: string };
}

export interface AwsPrefixListEntry { Cidr?: string; Description?: string }

export interface AwsManagedPrefixList { PrefixListId?: string; PrefixListName?: string }

export interface AwsVpc {
  VpcId?: string;
  CidrBlock?: string;
  CidrBlockAssociationSet?: { CidrBlock?: string; CidrBlockState?: { State?: string } }[];
  Ipv6CidrBlockAssociationSet?: { Ipv6CidrBlock?: string; Ipv6CidrBlockState?: { State?: string } }[];
}

export interface AwsNetworkAclEntry {
  RuleNumber?: number;
  Egress?: boolean;
  Protocol?: string;
  RuleAction?: string;
  CidrBlock?: string;
  Ipv6CidrBlock?: string;
  PortRange?: { From?: number; To?: number };
  IcmpTypeCode?: { Code?: number; Type?: number };
}

export interface AwsNetworkAcl {
  NetworkAclId?: string;
  VpcId?: string;
  IsDefault?: boolean;
  OwnerId?: string;
  Associations?: { NetworkAclAssociationId?: string; NetworkAclId?: string; SubnetId?: string }[];
  Entries?: AwsNetworkAclEntry[];
}
