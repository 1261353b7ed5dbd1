import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyStore, fabricAttributesOf, issueFabricIdentity } from '@certhub/certs-service';
import { DEVELOPMENT_ISSUERS } from '@certhub/gateway/dist/auth';
import { loadOrCreateDevelopmentWorld, writeDevelopmentWorld } from '@certhub/gateway/dist/seed';

describe('development world', function () {
  this.timeout(60_000);
  let dataDir: string;
  let keys: KeyStore;
  const masterKey = new Uint8Array(randomBytes(32));

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'certhub-world-'));
    keys = await KeyStore.open(join(dataDir, 'keys'), masterKey);
  });
  afterEach(async () => {
    await keys.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives the credit source the authority attribute the chaincode checks', async () => {
    const { world, created } = await loadOrCreateDevelopmentWorld(dataDir, masterKey, keys);
    assert.equal(created, true);
    assert.deepEqual(fabricAttributesOf(world.identities['wuhan-credit']!.certificatePem), {
      role: 'credit-source',
      region: '420100',
      authority: DEVELOPMENT_ISSUERS.WUHAN_AMR.code,
    });
  });

  it('re-issues, once, the identity of a user whose attributes changed since the world was made', async () => {
    const { world } = await loadOrCreateDevelopmentWorld(dataDir, masterKey, keys);
    // A world made before credit sources had an authority.
    const stale = await issueFabricIdentity(world.cas['WuhanMSP']!, {
      mspId: 'WuhanMSP',
      enrollmentId: 'wuhan-credit',
      attrs: { role: 'credit-source', region: '420100' },
    });
    await writeDevelopmentWorld(dataDir, masterKey, {
      ...world,
      identities: { ...world.identities, 'wuhan-credit': stale },
    });

    const reopened = await loadOrCreateDevelopmentWorld(dataDir, masterKey, keys);
    assert.equal(reopened.created, false);
    const refreshed = reopened.world.identities['wuhan-credit']!;
    assert.notEqual(refreshed.certificatePem, stale.certificatePem);
    assert.equal(fabricAttributesOf(refreshed.certificatePem).authority, DEVELOPMENT_ISSUERS.WUHAN_AMR.code);
    // Everyone else keeps their identity, and the refreshed world is what the next start reads.
    assert.equal(
      reopened.world.identities['wuhan-clerk']!.certificatePem,
      world.identities['wuhan-clerk']!.certificatePem,
    );
    const again = await loadOrCreateDevelopmentWorld(dataDir, masterKey, keys);
    assert.equal(again.world.identities['wuhan-credit']!.certificatePem, refreshed.certificatePem);
  });
});
