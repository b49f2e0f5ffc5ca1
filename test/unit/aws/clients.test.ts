import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ClientPool } from '../../../src/aws/clients';

const credentials = { accessKeyId: 'AKIATEST', secretAccessKey: 'secret' };

describe('aws/clients: one SDK client per (profile, region, endpoint)', () => {
  it('creates a client on first use and reuses it for the same profile and region', async () => {
    const pool = new ClientPool({ credentials });
    const a = await pool.ec2('prod', 'eu-west-1');
    assert.equal(await pool.ec2('prod', 'eu-west-1'), a);
    assert.notEqual(await pool.ec2('prod', 'eu-west-2'), a, 'another region, another client');
    assert.notEqual(await pool.ec2('dev', 'eu-west-1'), a, 'another profile, another client');
    assert.notEqual(await pool.rds('prod', 'eu-west-1'), a as unknown, 'another service, another client');
    assert.equal(pool.size, 4);
    assert.equal(await a.config.region(), 'eu-west-1');
    await pool.dispose();
  });

  it('sends every client to the endpoint URL when one is given', async () => {
    const pool = new ClientPool({ credentials, endpointUrl: 'http://127.0.0.1:4599' });
    for (const client of [await pool.ec2('p', 'eu-west-1'), await pool.rds('p', 'us-east-1')]) {
      const endpoint = await client.config.endpoint!();
      assert.equal(endpoint.hostname, '127.0.0.1');
      assert.equal(endpoint.port, 4599);
    }
    await pool.dispose();
  });

  it('destroys its clients on dispose and refuses new ones after', async () => {
    const pool = new ClientPool({ credentials });
    const client = await pool.ec2('p', 'eu-west-1');
    let destroyed = 0;
    const original = client.destroy.bind(client);
    client.destroy = () => { destroyed++; original(); };
    await pool.dispose();
    assert.equal(destroyed, 1);
    assert.equal(pool.size, 0);
    assert.throws(() => pool.ec2('p', 'eu-west-1'), /disposed/);
  });

  it('does not load credentials until a call needs them (nothing prompts at creation)', async () => {
    let asked = 0;
    const pool = new ClientPool({ credentials: async () => { asked++; return credentials; } });
    await pool.ec2('p', 'eu-west-1');
    assert.equal(asked, 0);
    await pool.dispose();
  });

  it('gives the clients of one profile, created side by side, one credential provider (an assume-role or SSO profile fetches once)', async () => {
    const fixtures = path.join(__dirname, 'fixtures');
    const pool = new ClientPool({ env: { AWS_CONFIG_FILE: path.join(fixtures, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(fixtures, 'credentials') } });
    const [a, b] = await Promise.all([pool.credentialsFor('static-dev'), pool.credentialsFor('static-dev')]);
    assert.equal(a, b);
    assert.notEqual(await pool.credentialsFor('default'), a, 'another profile, another provider');
    await pool.dispose();
  });
});
