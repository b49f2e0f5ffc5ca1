// aws-sdk-client-mock's mockClient(EC2Client) replaces EC2Client.prototype.send for the whole
// process. A unit test file that mocks at module level therefore turns every real client of a
// suite sharing the mocha process into a mock. Tests that talk to the emulator call this inside
// their describe(): the real send while they run, the other file's stub put back afterwards.

import { EC2Client } from '@aws-sdk/client-ec2';
import { RDSClient } from '@aws-sdk/client-rds';

export function useRealSdkSend(): void {
  const stubs = new Map<object, PropertyDescriptor>();
  before(() => {
    for (const prototype of [EC2Client.prototype, RDSClient.prototype]) {
      // The real send is inherited from the Smithy base client; an own property is a stub.
      const own = Object.getOwnPropertyDescriptor(prototype, 'send');
      if (own) {
        stubs.set(prototype, own);
        delete (prototype as unknown as Record<string, unknown>).send;
      }
    }
  });
  after(() => {
    for (const [prototype, descriptor] of stubs) Object.defineProperty(prototype, 'send', descriptor);
    stubs.clear();
  });
}
