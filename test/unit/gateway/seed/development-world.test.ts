import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KeyStore,
  Sm2Certificate,
  fabricAttributesOf,
  issueFabricIdentity,
  verifyCertificateChain,
} from '@certhub/certs-service';
import { DEVELOPMENT_ENTERPRISE, DEVELOPMENT_ISSUERS } from '@certhub/gateway/dist/auth';
import { enterpriseKeyId } from '@certhub/gateway/dist/services/enterprise-signers';
import {
  GATEWAY_AUDIT_USER,
  loadOrCreateDevelopmentWorld,
  writeDevelopmentWorld,
  type DevelopmentWorld,
} from '@certhub/gateway/dist/seed';

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

  it('holds the demo enterprise’s SM2 key with a certificate from the Wuhan root, and an audit identity', async () => {
    const { world } = await loadOrCreateDevelopmentWorld(dataDir, masterKey, keys);
    const pem = world.enterpriseCertificates[DEVELOPMENT_ENTERPRISE.code];
    assert.ok(pem !== undefined);
    const certificate = Sm2Certificate.fromPem(pem);
    assert.equal(certificate.uscc, DEVELOPMENT_ENTERPRISE.code);
    await verifyCertificateChain(certificate, {
      roots: [Sm2Certificate.fromPem(world.roots['420100']!)],
      at: new Date(),
    });
    const key = await keys.getKey(enterpriseKeyId(DEVELOPMENT_ENTERPRISE.code));
    assert.ok(key.publicKey.equals(certificate.publicKey));
    const audit = world.identities[GATEWAY_AUDIT_USER]!;
    assert.equal(audit.mspId, 'HubMSP');
    assert.deepEqual(fabricAttributesOf(audit.certificatePem), { role: 'audit-anchor' });
  });

  it('gives a world made before consents its enterprise key and audit identity on the next start', async () => {
    const { world } = await loadOrCreateDevelopmentWorld(dataDir, masterKey, keys);
    const { enterpriseCertificates: _dropped, ...older } = world;
    const { [GATEWAY_AUDIT_USER]: _audit, ...identities } = world.identities;
    await writeDevelopmentWorld(dataDir, masterKey, { ...older, identities } as unknown as DevelopmentWorld);

    const reopened = await loadOrCreateDevelopmentWorld(dataDir, masterKey, keys);
    assert.equal(reopened.created, false);
    const pem = reopened.world.enterpriseCertificates[DEVELOPMENT_ENTERPRISE.code];
    assert.ok(pem !== undefined && pem !== world.enterpriseCertificates[DEVELOPMENT_ENTERPRISE.code]);
    await verifyCertificateChain(Sm2Certificate.fromPem(pem), {
      roots: [Sm2Certificate.fromPem(world.roots['420100']!)],
      at: new Date(),
    });
    assert.ok(reopened.world.identities[GATEWAY_AUDIT_USER] !== undefined);
    assert.equal(
      reopened.world.identities['wuhan-clerk']!.certificatePem,
      world.identities['wuhan-clerk']!.certificatePem,
    );
    const again = await loadOrCreateDevelopmentWorld(dataDir, masterKey, keys);
    assert.equal(again.world.enterpriseCertificates[DEVELOPMENT_ENTERPRISE.code], pem);
  });
});
