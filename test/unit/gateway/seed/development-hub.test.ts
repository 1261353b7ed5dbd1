import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyStore, Sm2Certificate, isValidUscc, validateLicenseTypeCode } from '@certhub/certs-service';
import { DEVELOPMENT_USERS } from '@certhub/gateway/dist/auth';
import {
  DEVELOPMENT_CATALOG_ISSUERS,
  DEVELOPMENT_CATALOG_REGIONS,
  DEVELOPMENT_LICENSE_TYPES,
  DEVELOPMENT_MASTER_KEY_FILE,
  GATEWAY_SERVICE_USER,
  SeedError,
  openDevelopmentHub,
} from '@certhub/gateway/dist/seed';
import { issuerKeyId } from '@certhub/gateway/dist/services';

const FABRIC_ATTRS_OID = '1.2.3.4.5.6.7.8.1';

/** The Fabric CA attributes of an identity certificate, read back from the extension's raw JSON. */
function attributesOf(pem: string): Record<string, string> {
  const der = new X509Certificate(pem).raw;
  const text = der.toString('latin1');
  const at = text.indexOf('{"attrs":');
  assert.ok(at >= 0, `no ${FABRIC_ATTRS_OID} attributes in the certificate`);
  const json = text.slice(at, text.indexOf('}}', at) + 2);
  return (JSON.parse(json) as { attrs: Record<string, string> }).attrs;
}

describe('development seed', function () {
  this.timeout(120_000);
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'certhub-seed-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uses valid identifiers and the MSP names of the development users', () => {
    for (const issuer of DEVELOPMENT_CATALOG_ISSUERS) assert.ok(isValidUscc(issuer.code), issuer.code);
    for (const type of DEVELOPMENT_LICENSE_TYPES) validateLicenseTypeCode(type.code);
    const msps = new Set(DEVELOPMENT_CATALOG_REGIONS.map((r) => r.mspId));
    for (const { user } of DEVELOPMENT_USERS) {
      if (user.region !== null) {
        const region = DEVELOPMENT_CATALOG_REGIONS.find((r) => r.code === user.region);
        assert.equal(region?.mspId, user.org, `${user.id} is in ${user.org}, its region's MSP`);
      }
      assert.ok(msps.has(user.org) || ['HubMSP', 'BankMSP'].includes(user.org), user.org);
    }
  });

  it('seeds regions, types, issuers and a Fabric identity per user, then re-uses them after a restart', async () => {
    const first = await openDevelopmentHub({ dataDir });
    let worldBefore: string;
    let rootsBefore: Record<string, string>;
    try {
      assert.ok(first.seededTransactions > 0);
      const masterKeyFile = join(dataDir, DEVELOPMENT_MASTER_KEY_FILE);
      assert.equal(statSync(masterKeyFile).mode & 0o777, 0o600);
      assert.match(readFileSync(masterKeyFile, 'utf8'), /^[0-9a-f]{64}\n$/);

      const service = first.world.identities[GATEWAY_SERVICE_USER]!;
      const regions = JSON.parse(
        Buffer.from(await first.ledger.evaluate(service, { contract: 'registry', fn: 'listRegions' })).toString(),
      ) as { code: string; mspId: string; rootCertificatePem: string }[];
      assert.deepEqual(
        regions.map((r) => [r.code, r.mspId]).sort(),
        DEVELOPMENT_CATALOG_REGIONS.map((r) => [r.code, r.mspId]).sort(),
      );
      for (const region of regions) assert.ok(Sm2Certificate.fromPem(region.rootCertificatePem).isCa);

      const types = await first.api.registry.licenseTypes(undefined);
      assert.deepEqual(types.map((t) => t.code).sort(), DEVELOPMENT_LICENSE_TYPES.map((t) => t.code).sort());
      for (const issuer of DEVELOPMENT_CATALOG_ISSUERS) {
        const record = await first.api.registry.issuer(undefined, issuer.code);
        assert.equal(record?.region, issuer.region);
        assert.equal(record.certificates.length, 1);
        assert.equal(Sm2Certificate.fromPem(record.certificates[0]!.pem).uscc, issuer.code);
      }
      for (const { user } of DEVELOPMENT_USERS) {
        const identity = first.world.identities[user.id];
        assert.ok(identity, `identity for ${user.id}`);
        assert.equal(identity.mspId, user.org);
        const attrs = attributesOf(identity.certificatePem);
        assert.equal(attrs.role, user.role);
        assert.equal(attrs.region, user.region ?? undefined);
        assert.equal(attrs.issuer, user.issuer?.code);
      }
      worldBefore = JSON.stringify(first.world);
      rootsBefore = Object.fromEntries(regions.map((r) => [r.code, r.rootCertificatePem]));
    } finally {
      await first.close();
    }

    const second = await openDevelopmentHub({ dataDir });
    try {
      assert.equal(second.seededTransactions, 0, 'a restart submits nothing');
      assert.equal(JSON.stringify(second.world), worldBefore, 'same CAs, identities and certificates');
      assert.deepEqual(second.world.roots, rootsBefore);
      const me = await second.api.registry.profile(DEVELOPMENT_USERS.find((u) => u.token === 'dev-wuhan-clerk')!.user);
      assert.ok(me.licenseTypes.includes('11100000000013338W032'));
    } finally {
      await second.close();
    }
  });

  it('keeps issuer signing keys in the sealed key store, never in the world file', async () => {
    const hub = await openDevelopmentHub({ dataDir });
    await hub.close();
    const sealed = readFileSync(join(dataDir, 'development-world.sealed'));
    assert.ok(!sealed.includes('PRIVATE KEY'), 'the world file is sealed');
    const masterKey = Buffer.from(readFileSync(join(dataDir, DEVELOPMENT_MASTER_KEY_FILE), 'utf8').trim(), 'hex');
    const keys = await KeyStore.open(join(dataDir, 'gateway'), masterKey);
    try {
      for (const issuer of DEVELOPMENT_CATALOG_ISSUERS) {
        const key = await keys.getKey(issuerKeyId(issuer.code));
        const certificate = Sm2Certificate.fromPem(hub.world.issuerCertificates[issuer.code]!);
        assert.ok(key.publicKey.equals(certificate.publicKey), `${issuer.code}: the stored key is the certified one`);
      }
    } finally {
      await keys.close();
    }
  });

  it('refuses a data directory whose world does not open under the master key', async () => {
    const hub = await openDevelopmentHub({ dataDir });
    await hub.close();
    writeFileSync(join(dataDir, DEVELOPMENT_MASTER_KEY_FILE), 'ab'.repeat(32) + '\n');
    await assert.rejects(openDevelopmentHub({ dataDir }), (error: unknown) => {
      assert.ok(error instanceof SeedError);
      assert.equal(error.code, 'SEED_INVALID');
      return true;
    });
  });
});
