// A cheap first look at a document, made before the runtime is loaded: could it be an evidence
// file, an IaC file or one of our virtual documents? The runtime then decides exactly. Pure.

import { SCHEME } from './uris';

const EVIDENCE_NAME = /(^|[\\/])(describe-[a-z-]+|get-managed-prefix-list-entries\.pl-[0-9a-zA-Z]+)\.json$/;
const IAC_NAME = /\.(ya?ml|json|template|tf)$/i;
/**
 * CloudFormation or Terraform that declares security groups, Aurora clusters or modules
 * (whose note says they are not followed), or `terraform show -json` output.
 */
const IAC_TEXT = /AWSTemplateFormatVersion|AWS::EC2::SecurityGroup|AWS::RDS::DB(Cluster|Instance)|resource\s+"?aws_(default_security_group|security_group|vpc_security_group|rds_cluster|db_instance)|^\s*module\s|"(planned_values|root_module)"\s*:/m;

export function looksAudited(scheme: string, fileName: string, text: () => string): boolean {
  if (scheme === SCHEME) return true;
  if (scheme !== 'file') return false;
  if (EVIDENCE_NAME.test(fileName)) return true;
  return IAC_NAME.test(fileName) && IAC_TEXT.test(text().slice(0, 256 * 1024));
}
