import assert from 'node:assert/strict';
import {
  canonicalBytes,
  merkleProof,
  merkleRoot,
  sm2Sign,
  Sm2PrivateKey,
  issueIssuerCertificate,
  issueFabricIdentity,
} from '@certhub/certs-service';
import {
  ChaincodeError,
  type Ledger,
  type LedgerEvent,
  type LedgerIdentity,
  type LedgerOrganization,
  type TransactionRequest,
} from '@certhub/gateway/dist/ledger';
import { batchSigningBytes, type LicenseAnchor, type LicenseChange, type Page } from '@certhub/chaincode';
import {
  BUSINESS_LICENSE,
  PERSONAL_PERMIT,
  anchorRequest,
  createHubFixture,
  makeUscc,
  seedRegistry,
  signLicense,
  type HubFixture,
  type IssuerFixture,
} from '../support/hub-fixture';
import { assertRejectedWithoutCommit, evaluateJson, submitJson } from '../support/ledger-calls';

/** A ledger under test plus how to dispose of it; the factory gets the organisations its MSP config must admit. */
export interface LedgerUnderTest {
  readonly ledger: Ledger;
  dispose(): Promise<void>;
}

export type LedgerFactory = (organizations: readonly LedgerOrganization[]) => Promise<LedgerUnderTest>;

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/**
 * The chaincode's behaviour, observed only through the Ledger interface, so the same suite runs on the embedded
 * backend and (later) on a real Fabric network. Each test starts from a freshly seeded registry.
 */
export function ledgerConformance(backend: string, factory: LedgerFactory): void {
  describe(`chaincode conformance on the ${backend} ledger`, function () {
    this.timeout(60_000);
    let hub: HubFixture;
    let under: LedgerUnderTest;
    let ledger: Ledger;

    const submit = <T>(identity: LedgerIdentity, request: TransactionRequest): Promise<T> =>
      submitJson<T>(ledger, identity, request);
    const evaluate = <T>(identity: LedgerIdentity, request: TransactionRequest): Promise<T> =>
      evaluateJson<T>(ledger, identity, request);
    const getLicense = (id: string): Promise<LicenseAnchor> =>
      evaluate(hub.bank, { contract: 'license', fn: 'get', args: [id] });

    const rejects = (identity: LedgerIdentity, request: TransactionRequest, code: string): Promise<ChaincodeError> =>
      assertRejectedWithoutCommit(ledger, identity, request, code);

    async function anchor(
      issuer: IssuerFixture,
      serial: string,
      options: Omit<Parameters<typeof signLicense>[1], 'serial'> = {},
    ) {
      const license = signLicense(issuer, { serial, ...options });
      const anchored = await submit<LicenseAnchor>(issuer.clerk, anchorRequest(issuer, license));
      return { license, anchored };
    }

    before(async () => {
      hub = await createHubFixture();
    });

    beforeEach(async () => {
      under = await factory(hub.organizations);
      ledger = under.ledger;
      await seedRegistry(ledger, hub);
    });

    afterEach(async () => {
      await under.dispose();
    });

    describe('registry', () => {
      it('lists what was seeded: regions, license types, issuers with their certificates', async () => {
        const regions = await evaluate<{ code: string; mspId: string }[]>(hub.bank, {
          contract: 'registry',
          fn: 'listRegions',
        });
        assert.deepEqual(
          regions.map((r) => [r.code, r.mspId]),
          [
            ['341882', 'GuangdeMSP'],
            ['420100', 'WuhanMSP'],
          ],
        );
        const types = await evaluate<{ code: string; holderIdType: string }[]>(hub.bank, {
          contract: 'registry',
          fn: 'listLicenseTypes',
        });
        assert.deepEqual(
          types.map((t) => [t.code, t.holderIdType]),
          [
            [BUSINESS_LICENSE, '001'],
            [PERSONAL_PERMIT, '111'],
          ],
        );
        const issuer = await evaluate<{
          region: string;
          certificates: { fingerprint: string; retiredAt: string | null }[];
        }>(hub.bank, {
          contract: 'registry',
          fn: 'getIssuer',
          args: [hub.wuhan.issuer.uscc],
        });
        assert.equal(issuer.region, '420100');
        assert.deepEqual(
          issuer.certificates.map((c) => [c.fingerprint, c.retiredAt]),
          [[hub.wuhan.issuer.certificate.fingerprint(), null]],
        );
        const page = await evaluate<Page<{ uscc: string }>>(hub.bank, {
          contract: 'registry',
          fn: 'listIssuers',
          args: ['420100', '10', ''],
        });
        assert.deepEqual(
          page.items.map((i) => i.uscc),
          [hub.wuhan.issuer.uscc],
        );
      });

      it('reads single records, and answers NOT_FOUND for unknown ones', async () => {
        const region = await evaluate<{ code: string; rootFingerprint: string }>(hub.bank, {
          contract: 'registry',
          fn: 'getRegion',
          args: ['420100'],
        });
        assert.equal(region.rootFingerprint, hub.wuhan.root.fingerprint());
        const type = await evaluate<{ code: string; authority: string }>(hub.bank, {
          contract: 'registry',
          fn: 'getLicenseType',
          args: [BUSINESS_LICENSE],
        });
        assert.equal(type.authority, BUSINESS_LICENSE.slice(0, 18));
        for (const [contract, fn, id] of [
          ['registry', 'getRegion', '999999'],
          ['registry', 'getLicenseType', '11100000000013338W999'],
          ['registry', 'getIssuer', '914403001922038216'],
          ['license', 'getBatch', 'no-such-batch'],
          ['recognition', 'get', 'rec-none'],
        ] as const) {
          await assert.rejects(
            ledger.evaluate(hub.bank, { contract, fn, args: [id] }),
            (e: unknown) => e instanceof ChaincodeError && e.code === 'NOT_FOUND',
          );
        }
        await assert.rejects(
          ledger.evaluate(hub.bank, { contract: 'license', fn: 'history', args: ['1.2.156.3005.2.none'] }),
          (e: unknown) => e instanceof ChaincodeError && e.code === 'LICENSE_NOT_FOUND',
        );
      });

      it('initialises the hub once only, and only for a hub-admin', async () => {
        await rejects(hub.hubAdmin, { contract: 'registry', fn: 'initHub' }, 'ALREADY_EXISTS');
        await rejects(hub.wuhan.admin, { contract: 'registry', fn: 'initHub' }, 'FORBIDDEN');
      });

      it('lets only the hub admin add regions and license types', async () => {
        const args = ['420200', 'Huangshi', 'HuangshiMSP', hub.wuhan.root.pem];
        for (const caller of [hub.wuhan.admin, hub.wuhan.issuer.clerk, hub.bank, hub.verifier]) {
          await rejects(caller, { contract: 'registry', fn: 'addRegion', args }, 'FORBIDDEN');
          await rejects(
            caller,
            { contract: 'registry', fn: 'addLicenseType', args: ['11100000000013338W200', 'X', '001'] },
            'FORBIDDEN',
          );
        }
        await submit(hub.hubAdmin, { contract: 'registry', fn: 'addRegion', args });
        await submit(hub.hubAdmin, {
          contract: 'registry',
          fn: 'addLicenseType',
          args: ['11100000000013338W200', 'Road transport permit', '001'],
        });
      });

      it('refuses a hub-admin attribute minted by another MSP', async () => {
        const forged = await issueFabricIdentity(hub.wuhan.ca, {
          mspId: 'WuhanMSP',
          enrollmentId: 'fake-hub',
          attrs: { role: 'hub-admin' },
        });
        await rejects(
          forged,
          { contract: 'registry', fn: 'addLicenseType', args: ['11100000000013338W200', 'X', '001'] },
          'FORBIDDEN',
        );
      });

      it('rejects bad registry input with typed errors', async () => {
        await rejects(
          hub.hubAdmin,
          { contract: 'registry', fn: 'addRegion', args: ['42010', 'Bad', 'BadMSP', hub.wuhan.root.pem] },
          'INVALID_ARGUMENT',
        );
        await rejects(
          hub.hubAdmin,
          { contract: 'registry', fn: 'addRegion', args: ['420100', 'Again', 'WuhanMSP', hub.wuhan.root.pem] },
          'ALREADY_EXISTS',
        );
        await rejects(
          hub.hubAdmin,
          {
            contract: 'registry',
            fn: 'addRegion',
            args: ['420200', 'Leaf', 'LeafMSP', hub.wuhan.issuer.certificate.pem],
          },
          'INVALID_ARGUMENT',
        );
        await rejects(
          hub.hubAdmin,
          { contract: 'registry', fn: 'addRegion', args: ['420200', 'Junk', 'JunkMSP', 'not a pem'] },
          'CERTIFICATE_REJECTED',
        );
        await rejects(
          hub.hubAdmin,
          { contract: 'registry', fn: 'addLicenseType', args: ['11100000000013338X032', 'Bad check', '001'] },
          'INVALID_IDENTIFIER',
        );
        await rejects(
          hub.hubAdmin,
          { contract: 'registry', fn: 'addLicenseType', args: ['11100000000013338W201', 'Bad holder', '999'] },
          'INVALID_ARGUMENT',
        );
        await rejects(
          hub.wuhan.admin,
          {
            contract: 'registry',
            fn: 'registerIssuer',
            args: ['11420100MB000000X1', 'Bad USCC', '420100', JSON.stringify([BUSINESS_LICENSE])],
          },
          'INVALID_IDENTIFIER',
        );
        await rejects(
          hub.wuhan.admin,
          {
            contract: 'registry',
            fn: 'registerIssuer',
            args: [hub.wuhan.issuer.uscc, 'Twice', '420100', JSON.stringify([BUSINESS_LICENSE])],
          },
          'ALREADY_EXISTS',
        );
        await rejects(hub.wuhan.admin, { contract: 'registry', fn: 'getNothing' }, 'INVALID_ARGUMENT');
      });

      it("lets only a region's own admin register and change its issuers", async () => {
        const args = [makeUscc('91420100MA4K00000'), 'New bureau', '420100', JSON.stringify([BUSINESS_LICENSE])];
        for (const caller of [hub.guangde.admin, hub.wuhan.issuer.clerk, hub.bank, hub.hubAdmin]) {
          await rejects(caller, { contract: 'registry', fn: 'registerIssuer', args }, 'FORBIDDEN');
        }
        await submit(hub.wuhan.admin, { contract: 'registry', fn: 'registerIssuer', args });
        for (const caller of [hub.guangde.admin, hub.wuhan.issuer.clerk, hub.bank]) {
          await rejects(
            caller,
            {
              contract: 'registry',
              fn: 'setIssuerLicenseTypes',
              args: [hub.wuhan.issuer.uscc, JSON.stringify([BUSINESS_LICENSE])],
            },
            'FORBIDDEN',
          );
          await rejects(
            caller,
            {
              contract: 'registry',
              fn: 'addIssuerCertificate',
              args: [hub.wuhan.issuer.uscc, hub.wuhan.issuer.certificate.pem],
            },
            'FORBIDDEN',
          );
          await rejects(
            caller,
            {
              contract: 'registry',
              fn: 'retireIssuerCertificate',
              args: [hub.wuhan.issuer.uscc, hub.wuhan.issuer.certificate.fingerprint(), '', 'key rotation'],
            },
            'FORBIDDEN',
          );
        }
      });

      it('accepts issuer certificates only when they chain to the region root', async () => {
        // Guangde's issuer certificate chains to Guangde's root, not Wuhan's.
        await rejects(
          hub.wuhan.admin,
          {
            contract: 'registry',
            fn: 'addIssuerCertificate',
            args: [hub.wuhan.issuer.uscc, hub.guangde.issuer.certificate.pem],
          },
          'INVALID_ARGUMENT',
        );
        const key = Sm2PrivateKey.generate();
        const foreign = await issueIssuerCertificate({
          caKey: hub.guangde.rootKey,
          caCertificate: hub.guangde.root,
          publicKey: key.publicKey,
          subject: 'CN=Wuhan bureau key from the wrong root',
          uscc: hub.wuhan.issuer.uscc,
        });
        const error = await rejects(
          hub.wuhan.admin,
          { contract: 'registry', fn: 'addIssuerCertificate', args: [hub.wuhan.issuer.uscc, foreign.pem] },
          'CERTIFICATE_REJECTED',
        );
        assert.equal(error.context['reason'], 'UNKNOWN_ISSUER');
      });
    });

    describe('license anchoring', () => {
      it('anchors a signed license with no personal data and reads it back', async () => {
        const { license, anchored } = await anchor(hub.wuhan.issuer, '0000001', { typeCode: PERSONAL_PERMIT });
        assert.equal(anchored.licenseId, license.licenseId);
        assert.equal(anchored.docHash, license.docHash);
        assert.equal(anchored.status, '01');
        assert.equal(anchored.signerFingerprint, hub.wuhan.issuer.certificate.fingerprint());
        const stored = await getLicense(license.licenseId);
        assert.deepEqual(stored, anchored);
        assert.ok(!JSON.stringify(stored).includes('11010519491231002X'), 'the resident ID must not be on chain');
        assert.match(stored.holderRef, /^[0-9a-f]{64}$/);
      });

      it('emits one event per change', async () => {
        const events = ledger.events({ startBlock: 0 });
        const received: LedgerEvent[] = [];
        const { license } = await anchor(hub.wuhan.issuer, '0000002');
        await submit(hub.wuhan.issuer.clerk, {
          contract: 'license',
          fn: 'suspend',
          args: [license.licenseId, 'inspection'],
        });
        for await (const event of events) {
          received.push(event);
          if (event.name === 'LicenseStatusChanged') events.close();
        }
        // Every committed transaction, seeding included, emitted exactly one event.
        const committed = await ledger.history();
        assert.deepEqual(
          received.map((e) => e.txId),
          committed.map((t) => t.txId),
        );
        const mine = received.slice(-2);
        assert.deepEqual(
          mine.map((e) => e.name),
          ['LicenseAnchored', 'LicenseStatusChanged'],
        );
        assert.deepEqual(JSON.parse(text(mine[1]!.payload)), {
          action: 'suspend',
          licenseId: license.licenseId,
          previousStatus: '01',
          status: '02',
        });
      });

      it('lets only a clerk of the issuer anchor', async () => {
        const license = signLicense(hub.wuhan.issuer, { serial: '0000003' });
        const otherIssuerClerk = hub.guangde.issuer.clerk;
        const sameRegionWrongIssuer = await issueFabricIdentity(hub.wuhan.ca, {
          mspId: 'WuhanMSP',
          enrollmentId: 'clerk-other',
          attrs: { role: 'clerk', region: '420100', issuer: hub.guangde.issuer.uscc },
        });
        const clerkClaimInOtherMsp = await issueFabricIdentity(hub.guangde.ca, {
          mspId: 'GuangdeMSP',
          enrollmentId: 'clerk-spoof',
          attrs: { role: 'clerk', region: '420100', issuer: hub.wuhan.issuer.uscc },
        });
        for (const caller of [
          otherIssuerClerk,
          sameRegionWrongIssuer,
          clerkClaimInOtherMsp,
          hub.wuhan.admin,
          hub.bank,
          hub.verifier,
          hub.hubAdmin,
        ]) {
          await rejects(caller, anchorRequest(hub.wuhan.issuer, license), 'FORBIDDEN');
        }
        await assert.rejects(
          getLicense(license.licenseId),
          (e: unknown) => e instanceof ChaincodeError && e.code === 'LICENSE_NOT_FOUND',
        );
      });

      it('rejects tampered documents, signatures and certificates, and keeps state unchanged', async () => {
        const issuer = hub.wuhan.issuer;
        const license = signLicense(issuer, { serial: '0000004' });
        const tampered = Buffer.from(license.bytes);
        tampered[tampered.indexOf('Test licence')] = 'X'.charCodeAt(0);
        await rejects(
          issuer.clerk,
          { ...anchorRequest(issuer, license), transient: { document: tampered } },
          'BAD_SIGNATURE',
        );
        const otherKey = signLicense(issuer, { serial: '0000004', key: Sm2PrivateKey.generate() });
        await rejects(issuer.clerk, anchorRequest(issuer, otherKey), 'BAD_SIGNATURE');
        const truncated = {
          ...license,
          signature: Buffer.from(license.signature, 'base64').subarray(0, 20).toString('base64'),
        };
        await rejects(issuer.clerk, anchorRequest(issuer, truncated), 'BAD_SIGNATURE');
        const unregisteredKey = Sm2PrivateKey.generate();
        const unregistered = await issueIssuerCertificate({
          caKey: hub.wuhan.rootKey,
          caCertificate: hub.wuhan.root,
          publicKey: unregisteredKey.publicKey,
          subject: 'CN=unregistered key',
          uscc: issuer.uscc,
        });
        const signedByUnregistered = signLicense(issuer, { serial: '0000004', key: unregisteredKey });
        const error = await rejects(
          issuer.clerk,
          anchorRequest({ ...issuer, certificate: unregistered }, signedByUnregistered),
          'CERTIFICATE_REJECTED',
        );
        assert.equal(error.context['reason'], 'NOT_REGISTERED');
        await assert.rejects(
          getLicense(license.licenseId),
          (e: unknown) => e instanceof ChaincodeError && e.code === 'LICENSE_NOT_FOUND',
        );
      });

      it('rejects malformed IDs, wrong check characters, unknown types, bad holders and oversized payloads', async () => {
        const issuer = hub.wuhan.issuer;
        const license = signLicense(issuer, { serial: '0000005' });
        const withDocument = (document: Record<string, unknown>): TransactionRequest => ({
          ...anchorRequest(issuer, license),
          transient: { document: canonicalBytes(document) },
        });
        const id = license.licenseId;
        const wrongCheck = id.slice(0, -1) + (id.endsWith('A') ? 'B' : 'A');
        await rejects(issuer.clerk, withDocument({ ...license.document, licenseId: wrongCheck }), 'INVALID_IDENTIFIER');
        const pretty = Buffer.from(JSON.stringify(license.document, null, 2));
        await rejects(
          issuer.clerk,
          { ...anchorRequest(issuer, license), transient: { document: pretty } },
          'INVALID_ARGUMENT',
        );
        await rejects(
          issuer.clerk,
          withDocument({ ...license.document, licenseId: 'not-a-license-id' }),
          'INVALID_IDENTIFIER',
        );
        const unknownType = signLicense(issuer, { serial: '0000005', typeCode: '11100000000013338W999' });
        await rejects(issuer.clerk, anchorRequest(issuer, unknownType), 'NOT_FOUND');
        await rejects(
          issuer.clerk,
          withDocument({ ...license.document, holder: { name: 'H', idType: '111', id: '914403001922038216' } }),
          'INVALID_ARGUMENT',
        );
        await rejects(
          issuer.clerk,
          anchorRequest(issuer, { ...license, holderRef: '914403001922038217' }),
          'INVALID_ARGUMENT',
        );
        await rejects(
          issuer.clerk,
          withDocument({ ...license.document, fields: { blob: 'x'.repeat(70_000) } }),
          'PAYLOAD_TOO_LARGE',
        );
        await rejects(
          issuer.clerk,
          { ...anchorRequest(issuer, license), args: ['{"holderRef":"' + 'x'.repeat(20_000) + '"}'] },
          'PAYLOAD_TOO_LARGE',
        );
        await rejects(issuer.clerk, { ...anchorRequest(issuer, license), args: ['{not json'] }, 'INVALID_ARGUMENT');
        await rejects(issuer.clerk, { ...anchorRequest(issuer, license), transient: {} }, 'INVALID_ARGUMENT');
        const v2 = signLicense(issuer, { serial: '0000005', version: 2 });
        await rejects(issuer.clerk, anchorRequest(issuer, v2), 'INVALID_ARGUMENT');
      });

      it('refuses a second anchor of the same license and types the issuer is not authorised for', async () => {
        const { license } = await anchor(hub.wuhan.issuer, '0000006');
        await rejects(hub.wuhan.issuer.clerk, anchorRequest(hub.wuhan.issuer, license), 'ALREADY_EXISTS');
        await submit(hub.wuhan.admin, {
          contract: 'registry',
          fn: 'setIssuerLicenseTypes',
          args: [hub.wuhan.issuer.uscc, JSON.stringify([PERSONAL_PERMIT])],
        });
        await rejects(
          hub.wuhan.issuer.clerk,
          anchorRequest(hub.wuhan.issuer, signLicense(hub.wuhan.issuer, { serial: '0000007' })),
          'ISSUER_NOT_AUTHORISED',
        );
      });

      it('records the declared signing time, refusing one after the transaction or spelt another way', async () => {
        const issuer = hub.wuhan.issuer;
        const license = signLicense(issuer, { serial: '0000009' });
        const signedAt = '2026-01-05T08:30:00.000Z';
        const anchored = await submit<LicenseAnchor>(
          issuer.clerk,
          anchorRequest(issuer, license, 'anchor', { signedAt }),
        );
        assert.equal(anchored.signedAt, signedAt);
        assert.equal((await getLicense(license.licenseId)).signedAt, signedAt);
        const unsigned = await anchor(issuer, '0000010');
        assert.equal(unsigned.anchored.signedAt, null, 'an anchor without signedAt records null');
        const later = signLicense(issuer, { serial: '0000011' });
        for (const bad of ['2999-01-01T00:00:00.000Z', '2026-01-05T08:30:00Z', '2026-02-30T08:30:00.000Z', 17]) {
          const error = await rejects(
            issuer.clerk,
            anchorRequest(issuer, later, 'anchor', { signedAt: bad }),
            'INVALID_ARGUMENT',
          );
          assert.equal(error.context['field'], 'signedAt', String(bad));
        }
      });

      it('refuses signatures by a retired key', async () => {
        const issuer = hub.wuhan.issuer;
        const retire = (retiredAt: string, reason: string): TransactionRequest => ({
          contract: 'registry',
          fn: 'retireIssuerCertificate',
          args: [issuer.uscc, issuer.certificate.fingerprint(), retiredAt, reason],
        });
        await rejects(hub.wuhan.admin, retire('', ' '), 'INVALID_ARGUMENT');
        await rejects(hub.wuhan.admin, retire('', 'x'.repeat(2049)), 'PAYLOAD_TOO_LARGE');
        const retired = await submit<{ certificates: { retiredAt: string | null; retirementReason: string }[] }>(
          hub.wuhan.admin,
          retire('', 'key rotation'),
        );
        const entry = retired.certificates[0];
        assert.ok(entry?.retiredAt !== null && entry?.retiredAt !== undefined);
        assert.equal(entry.retirementReason, 'key rotation');
        const error = await rejects(
          issuer.clerk,
          anchorRequest(issuer, signLicense(issuer, { serial: '0000008' })),
          'CERTIFICATE_REJECTED',
        );
        assert.equal(error.context['reason'], 'RETIRED');
        // A retirement only moves earlier (a compromise found later): moving it later would revive signatures.
        await rejects(hub.wuhan.admin, retire('2999-01-01T00:00:00.000Z', 'undo'), 'INVALID_STATE_TRANSITION');
        await rejects(hub.wuhan.admin, retire('', 'again'), 'INVALID_STATE_TRANSITION');
        const dayBefore = new Date(Date.parse(entry.retiredAt) - 86_400_000).toISOString();
        const earlier = await submit<{ certificates: { retiredAt: string; retirementReason: string }[] }>(
          hub.wuhan.admin,
          retire(dayBefore, 'compromised a day earlier'),
        );
        assert.deepEqual(
          earlier.certificates.map((c) => [c.retiredAt, c.retirementReason]),
          [[dayBefore, 'compromised a day earlier']],
        );
      });
    });

    describe('status transitions and history', () => {
      it('follows the national status table and records every change in order', async () => {
        const issuer = hub.wuhan.issuer;
        const { license } = await anchor(issuer, '0000010');
        const id = license.licenseId;
        const change = (fn: string, reason = 'r'): Promise<LicenseAnchor> =>
          submit<LicenseAnchor>(issuer.clerk, { contract: 'license', fn, args: [id, reason] });
        assert.equal((await change('suspend')).status, '02');
        await rejects(
          issuer.clerk,
          { contract: 'license', fn: 'suspend', args: [id, 'again'] },
          'INVALID_STATE_TRANSITION',
        );
        assert.equal((await change('reinstate')).status, '01');
        await rejects(
          issuer.clerk,
          { contract: 'license', fn: 'reinstate', args: [id, 'x'] },
          'INVALID_STATE_TRANSITION',
        );
        assert.equal((await change('revoke', 'fraud')).status, '07');
        for (const fn of ['suspend', 'reinstate', 'cancel', 'revoke']) {
          await rejects(issuer.clerk, { contract: 'license', fn, args: [id, 'x'] }, 'INVALID_STATE_TRANSITION');
        }
        const history = await evaluate<{ licenseId: string; entries: LicenseChange[] }>(hub.bank, {
          contract: 'license',
          fn: 'history',
          args: [id],
        });
        assert.deepEqual(
          history.entries.map((e) => [e.action, e.status, e.mspId, e.docHash]),
          [
            ['issue', '01', 'WuhanMSP', license.docHash],
            ['suspend', '02', 'WuhanMSP', license.docHash],
            ['reinstate', '01', 'WuhanMSP', license.docHash],
            ['revoke', '07', 'WuhanMSP', license.docHash],
          ],
        );
        assert.match(history.entries[0]!.actor, /CN=clerk-420100/);
        assert.equal(new Set(history.entries.map((e) => e.txId)).size, 4);
      });

      it('cancels from valid or suspended, and lets only the issuer clerk change status', async () => {
        const issuer = hub.wuhan.issuer;
        const { license } = await anchor(issuer, '0000011');
        for (const caller of [hub.guangde.issuer.clerk, hub.wuhan.admin, hub.bank, hub.verifier, hub.guangde.admin]) {
          for (const fn of ['suspend', 'revoke', 'cancel']) {
            await rejects(caller, { contract: 'license', fn, args: [license.licenseId, 'x'] }, 'FORBIDDEN');
          }
        }
        await submit(issuer.clerk, { contract: 'license', fn: 'suspend', args: [license.licenseId, 'x'] });
        assert.equal(
          (
            await submit<LicenseAnchor>(issuer.clerk, {
              contract: 'license',
              fn: 'cancel',
              args: [license.licenseId, 'closed'],
            })
          ).status,
          '04',
        );
        await rejects(
          issuer.clerk,
          { contract: 'license', fn: 'suspend', args: ['1.2.156.3005.2.nope', 'x'] },
          'LICENSE_NOT_FOUND',
        );
      });

      it('expires only after validUntil, by the issuer clerk or the region admin', async () => {
        const issuer = hub.wuhan.issuer;
        const { license: current } = await anchor(issuer, '0000012');
        await rejects(
          issuer.clerk,
          { contract: 'license', fn: 'expire', args: [current.licenseId] },
          'INVALID_STATE_TRANSITION',
        );
        const { license: old } = await anchor(issuer, '0000013', { validFrom: '2020-01-01', validUntil: '2021-01-01' });
        await rejects(hub.bank, { contract: 'license', fn: 'expire', args: [old.licenseId] }, 'FORBIDDEN');
        await rejects(hub.guangde.admin, { contract: 'license', fn: 'expire', args: [old.licenseId] }, 'FORBIDDEN');
        assert.equal(
          (await submit<LicenseAnchor>(hub.wuhan.admin, { contract: 'license', fn: 'expire', args: [old.licenseId] }))
            .status,
          '05',
        );
        // Renewal is allowed after expiry; amendment is not.
        const amended = signLicense(issuer, { serial: '0000013', version: 2, previous: old.licenseId });
        await rejects(issuer.clerk, anchorRequest(issuer, amended, 'amend'), 'INVALID_STATE_TRANSITION');
        const renewed = await submit<{ license: LicenseAnchor; previous: LicenseAnchor }>(
          issuer.clerk,
          anchorRequest(issuer, amended, 'renew'),
        );
        assert.equal(renewed.license.status, '01');
        assert.equal(renewed.previous.status, '03');
      });

      it('amends into a new version linked to the previous one, which becomes withdrawn', async () => {
        const issuer = hub.wuhan.issuer;
        const { license } = await anchor(issuer, '0000014');
        const v2 = signLicense(issuer, { serial: '0000014', version: 2, previous: license.licenseId });
        const tooLong = anchorRequest(issuer, v2, 'amend', { reason: 'x'.repeat(2049) });
        await rejects(issuer.clerk, tooLong, 'PAYLOAD_TOO_LARGE');
        const result = await submit<{ license: LicenseAnchor; previous: LicenseAnchor }>(
          issuer.clerk,
          anchorRequest(issuer, v2, 'amend', { reason: '注册资本变更 (capital changed)' }),
        );
        assert.equal(result.license.previous, license.licenseId);
        assert.equal(result.license.version, 2);
        const previous = await getLicense(license.licenseId);
        assert.equal(previous.status, '03');
        assert.equal(previous.supersededBy, v2.licenseId);
        const history = await evaluate<{ entries: LicenseChange[] }>(hub.bank, {
          contract: 'license',
          fn: 'history',
          args: [license.licenseId],
        });
        assert.deepEqual(
          history.entries.map((e) => [e.action, e.reason]),
          [
            ['issue', null],
            ['supersede', `amend: ${v2.licenseId}: 注册资本变更 (capital changed)`],
          ],
        );
        // A version must be the next one, of the same serial; and the superseded one cannot be amended again.
        const skip = signLicense(issuer, { serial: '0000014', version: 3, previous: license.licenseId });
        await rejects(issuer.clerk, anchorRequest(issuer, skip, 'amend'), 'INVALID_ARGUMENT');
        const again = signLicense(issuer, { serial: '0000014', version: 2, previous: license.licenseId });
        await rejects(issuer.clerk, anchorRequest(issuer, again, 'amend'), 'INVALID_STATE_TRANSITION');
      });

      it('transfers in a license from another province, linked to the original ID', async () => {
        const { license: original } = await anchor(hub.guangde.issuer, '0000015');
        const moved = signLicense(hub.wuhan.issuer, { serial: '0000015' });
        const anchored = await submit<LicenseAnchor>(
          hub.wuhan.issuer.clerk,
          anchorRequest(hub.wuhan.issuer, moved, 'transferIn', { originalLicenseId: original.licenseId }),
        );
        assert.equal(anchored.transferredFrom, original.licenseId);
        await rejects(
          hub.wuhan.issuer.clerk,
          anchorRequest(hub.wuhan.issuer, signLicense(hub.wuhan.issuer, { serial: '0000016' }), 'transferIn', {
            originalLicenseId: 'bogus',
          }),
          'INVALID_IDENTIFIER',
        );
      });
    });

    describe('queries with pagination', () => {
      it('lists by issuer and by holder a page at a time with bookmarks', async () => {
        const issuer = hub.wuhan.issuer;
        const ids: string[] = [];
        for (let i = 0; i < 5; i++)
          ids.push((await anchor(issuer, `00001${String(i).padStart(2, '0')}`)).license.licenseId);
        await anchor(hub.guangde.issuer, '0000199');
        const collect = async (fn: string, owner: string): Promise<string[][]> => {
          const pages: string[][] = [];
          let bookmark = '';
          do {
            const page = await evaluate<Page<LicenseAnchor>>(hub.bank, {
              contract: 'license',
              fn,
              args: [owner, '2', bookmark],
            });
            pages.push(page.items.map((l) => l.licenseId));
            bookmark = page.bookmark;
          } while (bookmark !== '');
          return pages;
        };
        const sorted = [...ids].sort();
        assert.deepEqual(await collect('listByIssuer', issuer.uscc), [
          sorted.slice(0, 2),
          sorted.slice(2, 4),
          sorted.slice(4),
        ]);
        assert.equal((await collect('listByHolder', '914403001922038216')).flat().length, 6);
        await assert.rejects(
          ledger.evaluate(hub.bank, { contract: 'license', fn: 'listByIssuer', args: [issuer.uscc, '0', ''] }),
          (e: unknown) => e instanceof ChaincodeError && e.code === 'INVALID_ARGUMENT',
        );
      });
    });

    describe('batch anchoring', () => {
      it('anchors a signed Merkle root, proves inclusion, and records a member for later status changes', async () => {
        const issuer = hub.wuhan.issuer;
        const members = Array.from({ length: 7 }, (_, i) =>
          signLicense(issuer, { serial: `00002${String(i).padStart(2, '0')}` }),
        );
        const leaves = members.map((m) => Buffer.from(m.docHash, 'hex'));
        const root = Buffer.from(merkleRoot(leaves)).toString('hex');
        const header = { batchId: 'batch-0001', issuer: issuer.uscc, root, count: members.length };
        const signature = Buffer.from(sm2Sign(issuer.key, batchSigningBytes(header))).toString('base64');
        const request = (h: typeof header, sig = signature): TransactionRequest => ({
          contract: 'license',
          fn: 'anchorBatch',
          args: [JSON.stringify({ ...h, signature: sig, certificate: issuer.certificate.pem })],
        });
        for (const caller of [hub.guangde.issuer.clerk, hub.bank, hub.wuhan.admin])
          await rejects(caller, request(header), 'FORBIDDEN');
        await rejects(issuer.clerk, request({ ...header, count: 8 }), 'BAD_SIGNATURE');
        const anchoredBatch = await submit<{ root: string; count: number }>(issuer.clerk, request(header));
        await rejects(issuer.clerk, request(header), 'ALREADY_EXISTS');
        assert.deepEqual(
          await evaluate(hub.bank, { contract: 'license', fn: 'getBatch', args: ['batch-0001'] }),
          anchoredBatch,
        );
        assert.equal(anchoredBatch.root, root);

        const proofOf = (i: number) => merkleProof(leaves, i);
        const inclusion = async (docHash: string, proof: unknown): Promise<boolean> =>
          (
            await evaluate<{ included: boolean }>(hub.bank, {
              contract: 'license',
              fn: 'verifyBatchInclusion',
              args: ['batch-0001', docHash, JSON.stringify(proof)],
            })
          ).included;
        for (let i = 0; i < members.length; i++) assert.equal(await inclusion(members[i]!.docHash, proofOf(i)), true);
        assert.equal(await inclusion(members[0]!.docHash, proofOf(1)), false);
        const outsider = signLicense(issuer, { serial: '0000299' });
        assert.equal(await inclusion(outsider.docHash, proofOf(0)), false);

        const member = members[3]!;
        const recordRequest = (m: typeof member, proof: unknown): TransactionRequest => ({
          contract: 'license',
          fn: 'recordBatchMember',
          args: [JSON.stringify({ batchId: 'batch-0001', holderRef: m.holderRef, proof })],
          transient: { document: m.bytes },
        });
        await rejects(issuer.clerk, recordRequest(member, proofOf(2)), 'INCLUSION_PROOF_INVALID');
        await rejects(hub.guangde.issuer.clerk, recordRequest(member, proofOf(3)), 'FORBIDDEN');
        const recorded = await submit<LicenseAnchor>(issuer.clerk, recordRequest(member, proofOf(3)));
        assert.equal(recorded.batchId, 'batch-0001');
        assert.equal(recorded.signerFingerprint, issuer.certificate.fingerprint());
        await submit(issuer.clerk, { contract: 'license', fn: 'revoke', args: [member.licenseId, 'batch error'] });
        const history = await evaluate<{ entries: LicenseChange[] }>(hub.bank, {
          contract: 'license',
          fn: 'history',
          args: [member.licenseId],
        });
        assert.deepEqual(
          history.entries.map((e) => [e.action, e.status]),
          [
            ['batch-member', '01'],
            ['revoke', '07'],
          ],
        );
      });
    });

    describe('recognition', () => {
      const proposal = (overrides: Record<string, unknown> = {}): string =>
        JSON.stringify({
          acceptingRegion: '420100',
          issuingRegion: '341882',
          licenseTypes: [BUSINESS_LICENSE],
          validFrom: '2026-01-01',
          validUntil: null,
          ...overrides,
        });

      it('is proposed by one region, accepted by the other, and answers recognition queries', async () => {
        const { license: guangdeLicense } = await anchor(hub.guangde.issuer, '0000301');
        const { license: wuhanLicense } = await anchor(hub.wuhan.issuer, '0000302');
        const recognises = async (region: string, id: string, onDate = ''): Promise<boolean> =>
          (
            await evaluate<{ recognised: boolean }>(hub.verifier, {
              contract: 'recognition',
              fn: 'recognises',
              args: [region, id, onDate],
            })
          ).recognised;
        assert.equal(await recognises('420100', wuhanLicense.licenseId), true);
        assert.equal(await recognises('420100', guangdeLicense.licenseId), false);

        for (const caller of [hub.wuhan.issuer.clerk, hub.bank, hub.hubAdmin]) {
          await rejects(caller, { contract: 'recognition', fn: 'propose', args: [proposal()] }, 'FORBIDDEN');
        }
        const proposed = await submit<{ id: string; status: string }>(hub.wuhan.admin, {
          contract: 'recognition',
          fn: 'propose',
          args: [proposal()],
        });
        assert.equal(proposed.status, 'PROPOSED');
        assert.equal(await recognises('420100', guangdeLicense.licenseId), false);
        // The proposer cannot accept its own proposal; the counterpart region's admin does.
        await rejects(hub.wuhan.admin, { contract: 'recognition', fn: 'accept', args: [proposed.id] }, 'FORBIDDEN');
        await rejects(hub.bank, { contract: 'recognition', fn: 'accept', args: [proposed.id] }, 'FORBIDDEN');
        const accepted = await submit<{ status: string }>(hub.guangde.admin, {
          contract: 'recognition',
          fn: 'accept',
          args: [proposed.id],
        });
        assert.equal(accepted.status, 'ACTIVE');
        assert.deepEqual(
          await evaluate(hub.bank, { contract: 'recognition', fn: 'get', args: [proposed.id] }),
          accepted,
        );
        await rejects(
          hub.guangde.admin,
          { contract: 'recognition', fn: 'accept', args: [proposed.id] },
          'INVALID_STATE_TRANSITION',
        );
        assert.equal(await recognises('420100', guangdeLicense.licenseId), true);
        // On a date the caller names: the agreement runs from 2026-01-01.
        assert.equal(await recognises('420100', guangdeLicense.licenseId, '2026-06-01'), true);
        assert.equal(await recognises('420100', guangdeLicense.licenseId, '2025-12-31'), false);
        await assert.rejects(
          evaluate(hub.verifier, {
            contract: 'recognition',
            fn: 'recognises',
            args: ['420100', guangdeLicense.licenseId, '2026-02-30'],
          }),
          (error: unknown) => error instanceof ChaincodeError && error.code === 'INVALID_ARGUMENT',
        );
        // Direction matters: Guangde has not agreed to accept Wuhan's licenses.
        assert.equal(await recognises('341882', wuhanLicense.licenseId), false);
        const listed = await evaluate<{ id: string }[]>(hub.bank, {
          contract: 'recognition',
          fn: 'list',
          args: ['341882'],
        });
        assert.deepEqual(
          listed.map((a) => a.id),
          [proposed.id],
        );

        await rejects(hub.bank, { contract: 'recognition', fn: 'revoke', args: [proposed.id, 'no'] }, 'FORBIDDEN');
        await rejects(
          hub.wuhan.admin,
          { contract: 'recognition', fn: 'revoke', args: [proposed.id, ''] },
          'INVALID_ARGUMENT',
        );
        const revoked = await submit<{ status: string; revocationReason: string }>(hub.wuhan.admin, {
          contract: 'recognition',
          fn: 'revoke',
          args: [proposed.id, 'policy ended'],
        });
        assert.equal(revoked.status, 'REVOKED');
        assert.equal(revoked.revocationReason, 'policy ended');
        await rejects(
          hub.guangde.admin,
          { contract: 'recognition', fn: 'revoke', args: [proposed.id, 'again'] },
          'INVALID_STATE_TRANSITION',
        );
        assert.equal(await recognises('420100', guangdeLicense.licenseId), false);
      });

      it('rejects bad proposals with typed errors', async () => {
        await rejects(
          hub.wuhan.admin,
          { contract: 'recognition', fn: 'propose', args: [proposal({ issuingRegion: '420100' })] },
          'INVALID_ARGUMENT',
        );
        await rejects(
          hub.wuhan.admin,
          { contract: 'recognition', fn: 'propose', args: [proposal({ issuingRegion: '999999' })] },
          'NOT_FOUND',
        );
        await rejects(
          hub.wuhan.admin,
          { contract: 'recognition', fn: 'propose', args: [proposal({ licenseTypes: ['11100000000013338W999'] })] },
          'NOT_FOUND',
        );
        await rejects(
          hub.wuhan.admin,
          { contract: 'recognition', fn: 'propose', args: [proposal({ validFrom: '2026-13-45' })] },
          'INVALID_ARGUMENT',
        );
        await rejects(hub.wuhan.admin, { contract: 'recognition', fn: 'accept', args: ['rec-none'] }, 'NOT_FOUND');
      });
    });
  });
}
