// An AWS-shaped failure: the code and message AWS would send, and its HTTP status.

import type { Service } from './wire';

export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

/** AWS's answer to a DryRun request that would have succeeded. */
export function dryRunOperation(): AwsError {
  return new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
}

/** AWS's throttling answer: EC2 and RDS differ in code and HTTP status. */
export function throttled(service: Service): AwsError {
  return service === 'ec2'
    ? new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503)
    : new AwsError('Throttling', 'Rate exceeded', 400);
}

export function invalidParameterValue(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message);
}
