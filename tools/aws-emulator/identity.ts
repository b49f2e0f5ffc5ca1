// Who sent a request: the access key in the SigV4 credential scope names either a session the
// emulator issued (AssumeRole), which acts in the role's account until it expires, a key
// AKIAACCT<account id>, which acts as that account's user, or any other key, which acts as the
// default account's user (the seed's account, or the organization's management account).
// Signatures are still not checked.

import { AwsError } from './errors';

export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  roleName: string;
  sessionName: string;
  /** arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION */
  arn: string;
  assumedRoleId: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface Caller {
  accountId: string;
  arn: string;
  userId: string;
  /** Present when the request was signed with credentials from AssumeRole. */
  session?: Session;
}

export class Identities {
  private readonly sessions = new Map<string, Session>();
  private counter = 0;

  constructor(private readonly defaultAccount: () => string) {}

  reset(): void {
    this.sessions.clear();
    this.counter = 0;
  }

  /** A new session in `accountId` for `roleName`, valid for `seconds`. Keys are deterministic per emulator run. */
  issue(accountId: string, roleName: string, sessionName: string, seconds: number, now = Date.now()): Session {
    this.counter += 1;
    const serial = String(this.counter).padStart(8, '0');
    const session: Session = {
      accessKeyId: `ASIAEMU${accountId.slice(-5)}${serial}`.slice(0, 20),
      secretAccessKey: `emulator-session-secret-${serial}`,
      sessionToken: `IQoJemulatorSessionToken${serial}${accountId}`,
      accountId,
      roleName,
      sessionName,
      arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
      assumedRoleId: `AROAEMU${accountId}${serial.slice(-4)}:${sessionName}`,
      expiresAt: now + seconds * 1000,
    };
    this.sessions.set(session.accessKeyId, session);
    return session;
  }

  /**
   * The caller of a request. A session key must come with its session token and must not have
   * expired (ExpiredToken, as AWS answers for an expired session; Organizations spells it
   * ExpiredTokenException).
   */
  resolve(accessKeyId: string | undefined, sessionToken: string | undefined, json: boolean, now = Date.now()): Caller {
    const session = accessKeyId ? this.sessions.get(accessKeyId) : undefined;
    if (!session) {
      if (accessKeyId?.startsWith('ASIAEMU')) {
        throw new AwsError(json ? 'UnrecognizedClientException' : 'InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
      }
      // AKIAACCT<12 digits>: a static key of that account's own user (one profile per account, the old way).
      const accountId = /^AKIAACCT(\d{12})$/.exec(accessKeyId ?? '')?.[1] ?? this.defaultAccount();
      return { accountId, arn: `arn:aws:iam::${accountId}:user/emulator`, userId: 'AIDAEMULATORUSER0001' };
    }
    if (sessionToken !== session.sessionToken) {
      throw new AwsError(json ? 'UnrecognizedClientException' : 'InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    }
    if (now >= session.expiresAt) {
      throw new AwsError(json ? 'ExpiredTokenException' : 'ExpiredToken', 'The security token included in the request is expired', 400);
    }
    return { accountId: session.accountId, arn: session.arn, userId: session.assumedRoleId, session };
  }
}
