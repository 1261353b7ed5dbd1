import assert from 'node:assert/strict';
import {
  Sm2PrivateKey,
  issueFabricIdentity,
  issueIssuerCertificate,
  sm2Sign,
  sm3Hex,
  type Sm2Certificate,
} from '@certhub/certs-service';
import {
  ChaincodeError,
  type Ledger,
  type LedgerIdentity,
  type TransactionRequest,
} from '@certhub/gateway/dist/ledger';
import {
  chinaDateOf,
  consentSigningBytes,
  type AuditHead,
  type Consent,
  type ConsentChange,
  type ConsentScope,
  type Page,
} from '@certhub/chaincode';
import { addDays } from '@certhub/chaincode/dist/rules/publicity';
import { createHubFixture, makeUscc, seedRegistry, type HubFixture, type RegionFixture } from '../support/hub-fixture';
import { assertRejectedWithoutCommit, evaluateJson, submitJson } from '../support/ledger-calls';
import type { LedgerFactory, LedgerUnderTest } from './ledger-conformance';

/** An enterprise that signs its own consents: its SM2 key, a certificate from its region's root, its Fabric user. */
interface EnterpriseFixture {
  readonly uscc: string;
  readonly key: Sm2PrivateKey;
  readonly certificate: Sm2Certificate;
  readonly user: LedgerIdentity;
}

async function createEnterprise(region: RegionFixture, uscc: string, issuingRoot = region): Promise<EnterpriseFixture> {
  const key = Sm2PrivateKey.generate();
  const certificate = await issueIssuerCertificate({
    caKey: issuingRoot.rootKey,
    caCertificate: issuingRoot.root,
    publicKey: key.publicKey,
    subject: `CN=Enterprise ${uscc},C=CN`,
    uscc,
  });
  const user = await issueFabricIdentity(region.ca, {
    mspId: region.mspId,
    enrollmentId: `enterprise-${uscc}`,
    attrs: { role: 'enterprise', region: region.code, enterprise: uscc },
  });
  return { uscc, key, certificate, user };
}

interface Decision {
  enterprise: string;
  bank: string;
  scope: string;
  onDate: string;
  allowed: boolean;
  reason?: string;
  consent: Consent | null;
  since?: string | null;
}

/**
 * The consent and audit contracts (issue 6) through the Ledger interface only: signed and recorded grants, who may
 * grant, revoke and read, signature and certificate checks, expiry, revocation, listings and the consent decision, and
 * audit-log heads that only move forward. Transaction time is the ledger's own, so dates are relative to today.
 */
export function consentConformance(backend: string, factory: LedgerFactory): void {
  describe(`consent and audit contract conformance on the ${backend} ledger`, function () {
    this.timeout(60_000);
    let hub: HubFixture;
    let under: LedgerUnderTest;
    let ledger: Ledger;
    let acme: EnterpriseFixture;
    /** A Guangde enterprise with its own key and certificate. */
    let other: EnterpriseFixture;
    /** Claims to be the Wuhan enterprise, enrolled by Guangde's CA. */
    let impostor: LedgerIdentity;
    // Consents are dated in China's calendar; taken once so a test never spans two dates.
    const today = chinaDateOf(new Date());
    const nextMonth = addDays(today, 30);

    const submit = <T>(identity: LedgerIdentity, request: TransactionRequest): Promise<T> =>
      submitJson<T>(ledger, identity, request);
    const evaluate = <T>(identity: LedgerIdentity, request: TransactionRequest): Promise<T> =>
      evaluateJson<T>(ledger, identity, request);
    const consent = (fn: string, ...args: string[]): TransactionRequest => ({ contract: 'consent', fn, args });
    const audit = (fn: string, ...args: string[]): TransactionRequest => ({ contract: 'audit', fn, args });
    const rejects = (identity: LedgerIdentity, request: TransactionRequest, code: string): Promise<ChaincodeError> =>
      assertRejectedWithoutCommit(ledger, identity, request, code);
    const refusedQuery = async (identity: LedgerIdentity, request: TransactionRequest, code: string): Promise<void> => {
      await assert.rejects(ledger.evaluate(identity, request), (error: unknown) => {
        assert.ok(error instanceof ChaincodeError, String(error));
        assert.equal(error.code, code, error.message);
        return true;
      });
    };

    interface Terms {
      enterprise?: string;
      bank?: string;
      scope?: ConsentScope[];
      expiresOn?: string;
      signedAt?: string;
    }
    /** A grant request signed by `signer` over the terms (or over `signedTerms` when they should differ). */
    const signedGrant = (
      signer: EnterpriseFixture,
      terms: Terms = {},
      options: { key?: Sm2PrivateKey; signedTerms?: Terms } = {},
    ): TransactionRequest => {
      const full = {
        enterprise: acme.uscc,
        bank: 'BankMSP',
        scope: ['credit-detail'] as ConsentScope[],
        expiresOn: nextMonth,
        signedAt: new Date().toISOString(),
        ...terms,
      };
      const bytes = consentSigningBytes({ ...full, ...options.signedTerms });
      const signature = Buffer.from(sm2Sign(options.key ?? signer.key, bytes)).toString('base64');
      return consent('grant', JSON.stringify({ ...full, signature, certificate: signer.certificate.pem }));
    };
    const recordedGrant = (terms: Record<string, unknown> = {}): TransactionRequest =>
      consent(
        'grant',
        JSON.stringify({
          enterprise: acme.uscc,
          bank: 'BankMSP',
          scope: ['credit-detail'],
          expiresOn: nextMonth,
          ...terms,
        }),
      );
    const check = (bank = 'BankMSP', scope = 'credit-detail', onDate = '', caller = hub.bank): Promise<Decision> =>
      evaluate<Decision>(caller, consent('check', acme.uscc, bank, scope, onDate));
    const lastEvent = async (): Promise<string | null> => {
      const txs = await ledger.history();
      return txs[txs.length - 1]?.eventName ?? null;
    };

    before(async () => {
      hub = await createHubFixture();
      acme = await createEnterprise(hub.wuhan, hub.enterprise);
      other = await createEnterprise(hub.guangde, makeUscc('91341882MA4K00002'));
      impostor = await issueFabricIdentity(hub.guangde.ca, {
        mspId: hub.guangde.mspId,
        enrollmentId: 'impostor',
        attrs: { role: 'enterprise', enterprise: hub.enterprise },
      });
    });
    beforeEach(async () => {
      under = await factory(hub.organizations);
      ledger = under.ledger;
      await seedRegistry(ledger, hub);
    });
    afterEach(async () => {
      await under.dispose();
    });

    describe('grant', () => {
      it('the enterprise grants with its own SM2 signature; the certificate and statement are kept', async () => {
        const granted = await submit<Consent>(
          acme.user,
          signedGrant(acme, { scope: ['licenses', 'credit-detail', 'licenses'] }),
        );
        assert.match(granted.consentId, /^cs-[0-9a-f]{32}$/);
        assert.equal(granted.enterprise, acme.uscc);
        assert.equal(granted.region, '420100');
        assert.equal(granted.bank, 'BankMSP');
        assert.deepEqual(granted.scope, ['credit-detail', 'licenses']);
        assert.equal(granted.expiresOn, nextMonth);
        assert.equal(granted.grantedOn, today);
        assert.equal(granted.status, 'ACTIVE');
        assert.equal(granted.recordedBy, null);
        assert.equal(granted.signed?.certificateFingerprint, acme.certificate.fingerprint());
        const statement = consentSigningBytes({
          enterprise: acme.uscc,
          bank: 'BankMSP',
          scope: ['credit-detail', 'licenses'],
          expiresOn: nextMonth,
          signedAt: granted.signed.signedAt,
        });
        assert.equal(granted.signed.statementHash, sm3Hex(statement));
        assert.equal(granted.granted.mspId, 'WuhanMSP');
        assert.equal(await lastEvent(), 'ConsentGranted');
        // The enterprise, its registration authority and the bank named all read it.
        for (const reader of [acme.user, hub.wuhan.admin, hub.bank]) {
          assert.deepEqual(await evaluate(reader, consent('get', granted.consentId)), granted);
        }
      });

      it('the registration authority (the Wuhan admin) records a consent without a signature', async () => {
        const granted = await submit<Consent>(hub.wuhan.admin, recordedGrant({ scope: ['licenses'] }));
        assert.equal(granted.signed, null);
        assert.equal(granted.recordedBy?.region, '420100');
        assert.equal(granted.recordedBy.mspId, 'WuhanMSP');
        assert.match(granted.recordedBy.actor, /admin-420100/);
        assert.deepEqual(granted.scope, ['licenses']);
      });

      it('a bank cannot grant, another region’s admin cannot record, the enterprise cannot grant unsigned', async () => {
        await rejects(hub.bank, signedGrant(acme), 'FORBIDDEN');
        await rejects(hub.bank, recordedGrant(), 'FORBIDDEN');
        await rejects(hub.guangde.admin, recordedGrant(), 'FORBIDDEN');
        await rejects(acme.user, recordedGrant(), 'FORBIDDEN');
        await rejects(hub.wuhan.issuer.clerk, recordedGrant(), 'FORBIDDEN');
        await rejects(hub.wuhan.creditSource, signedGrant(acme), 'FORBIDDEN');
        // The enterprise attribute counts only from the MSP of the enterprise's registration region.
        await rejects(impostor, signedGrant(acme), 'FORBIDDEN');
        // Another enterprise may not submit this one's consent, even one it signed itself.
        await rejects(other.user, signedGrant(acme), 'FORBIDDEN');
        await rejects(other.user, signedGrant(other), 'FORBIDDEN');
      });

      it('refuses a forged signature, another enterprise’s certificate, a certificate from the wrong root', async () => {
        const forged = await rejects(
          acme.user,
          signedGrant(acme, {}, { key: Sm2PrivateKey.generate() }),
          'BAD_SIGNATURE',
        );
        assert.equal(forged.context['reason'], 'MISMATCH');
        // Signed for one expiry, submitted with another.
        await rejects(
          acme.user,
          signedGrant(acme, {}, { signedTerms: { expiresOn: addDays(nextMonth, 365) } }),
          'BAD_SIGNATURE',
        );
        await rejects(acme.user, signedGrant(acme, {}, { signedTerms: { bank: 'OtherBankMSP' } }), 'BAD_SIGNATURE');
        const wrongSubject = await rejects(acme.user, signedGrant(other), 'CERTIFICATE_REJECTED');
        assert.equal(wrongSubject.context['reason'], 'WRONG_SUBJECT');
        // A certificate naming the enterprise, but issued by Guangde's root: not its registration region's.
        const foreign = await createEnterprise(hub.wuhan, acme.uscc, hub.guangde);
        await rejects(acme.user, signedGrant(foreign), 'CERTIFICATE_REJECTED');
        const malformed = JSON.parse(String(signedGrant(acme).args?.[0])) as Record<string, unknown>;
        await rejects(
          acme.user,
          consent('grant', JSON.stringify({ ...malformed, signature: Buffer.from('not DER').toString('base64') })),
          'BAD_SIGNATURE',
        );
        await rejects(
          acme.user,
          consent('grant', JSON.stringify({ ...malformed, certificate: hub.wuhan.root.pem })),
          'CERTIFICATE_REJECTED',
        );
      });

      it('a signed consent is granted once: the same statement is refused, even after a revocation', async () => {
        const request = signedGrant(acme);
        const granted = await submit<Consent>(acme.user, request);
        const again = await rejects(acme.user, request, 'ALREADY_EXISTS');
        assert.equal(again.context['consentId'], granted.consentId);
        await submit(acme.user, consent('revoke', granted.consentId, 'loan declined'));
        await rejects(acme.user, request, 'ALREADY_EXISTS');
      });

      it('refuses bad terms with nothing written', async () => {
        await rejects(hub.wuhan.admin, recordedGrant({ expiresOn: addDays(today, -1) }), 'INVALID_ARGUMENT');
        await rejects(acme.user, signedGrant(acme, { expiresOn: addDays(today, -1) }), 'INVALID_ARGUMENT');
        await rejects(hub.wuhan.admin, recordedGrant({ expiresOn: '2026-02-30' }), 'INVALID_ARGUMENT');
        await rejects(hub.wuhan.admin, recordedGrant({ scope: [] }), 'INVALID_ARGUMENT');
        await rejects(hub.wuhan.admin, recordedGrant({ scope: ['everything'] }), 'INVALID_ARGUMENT');
        await rejects(hub.wuhan.admin, recordedGrant({ bank: 'Bank' }), 'INVALID_ARGUMENT');
        await rejects(hub.wuhan.admin, recordedGrant({ enterprise: '91420100MA4K000010' }), 'INVALID_IDENTIFIER');
        // A Beijing enterprise: its registration region is not on this hub.
        const unknown = await rejects(
          hub.wuhan.admin,
          recordedGrant({ enterprise: makeUscc('91110000MA00000XX') }),
          'NOT_FOUND',
        );
        assert.deepEqual(unknown.context['tried'], ['110000']);
        await rejects(hub.wuhan.admin, recordedGrant({ certificate: acme.certificate.pem }), 'INVALID_ARGUMENT');
        const stale = new Date(Date.now() - 25 * 60 * 60 * 1000).toISOString();
        await rejects(acme.user, signedGrant(acme, { signedAt: stale }), 'INVALID_ARGUMENT');
        const ahead = new Date(Date.now() + 60 * 60 * 1000).toISOString();
        await rejects(acme.user, signedGrant(acme, { signedAt: ahead }), 'INVALID_ARGUMENT');
        await rejects(acme.user, consent('grant', 'not json'), 'INVALID_ARGUMENT');
      });

      it('a district enterprise answers to its prefecture: 420102 → Wuhan (420100)', async () => {
        const district = makeUscc('91420102MA4K00003');
        const granted = await submit<Consent>(hub.wuhan.admin, recordedGrant({ enterprise: district }));
        assert.equal(granted.region, '420100');
        await rejects(hub.guangde.admin, recordedGrant({ enterprise: district }), 'FORBIDDEN');
      });
    });

    describe('expiry, revocation and the decision', () => {
      it('a consent covers its last day and not the next; before its grant there was none', async () => {
        const granted = await submit<Consent>(hub.wuhan.admin, recordedGrant({ expiresOn: today }));
        const now = await check();
        assert.equal(now.allowed, true);
        assert.equal(now.consent?.consentId, granted.consentId);
        assert.equal(now.onDate, today);
        const tomorrow = await check('BankMSP', 'credit-detail', addDays(today, 1));
        assert.deepEqual([tomorrow.allowed, tomorrow.reason, tomorrow.since], [false, 'EXPIRED', today]);
        assert.equal(tomorrow.consent?.consentId, granted.consentId);
        const yesterday = await check('BankMSP', 'credit-detail', addDays(today, -1));
        assert.deepEqual([yesterday.allowed, yesterday.reason, yesterday.consent], [false, 'NO_CONSENT', null]);
      });

      it('no consent, or one for another bank, or one without the scope: refused with the reason', async () => {
        assert.deepEqual([(await check()).allowed, (await check()).reason], [false, 'NO_CONSENT']);
        await submit(hub.wuhan.admin, recordedGrant({ bank: 'OtherBankMSP' }));
        assert.equal((await check()).reason, 'NO_CONSENT');
        await submit(hub.wuhan.admin, recordedGrant({ scope: ['licenses'] }));
        const lacking = await check();
        assert.deepEqual([lacking.allowed, lacking.reason], [false, 'SCOPE']);
        assert.equal((await check('BankMSP', 'licenses')).allowed, true);
      });

      it('revocation by the enterprise ends a consent from that day; the history keeps both changes', async () => {
        const granted = await submit<Consent>(acme.user, signedGrant(acme));
        assert.equal((await check()).allowed, true);
        const revoked = await submit<Consent>(acme.user, consent('revoke', granted.consentId, 'loan repaid'));
        assert.deepEqual(
          [revoked.status, revoked.revokedOn, revoked.revocationReason],
          ['REVOKED', today, 'loan repaid'],
        );
        assert.equal(await lastEvent(), 'ConsentRevoked');
        const after = await check();
        assert.deepEqual([after.allowed, after.reason, after.since], [false, 'REVOKED', today]);
        // The day before, the consent did not exist yet: the decision is about dates, not only the latest state.
        assert.equal((await check('BankMSP', 'credit-detail', addDays(today, -1))).reason, 'NO_CONSENT');
        const history = await evaluate<{ consentId: string; entries: ConsentChange[] }>(
          hub.wuhan.admin,
          consent('history', granted.consentId),
        );
        assert.deepEqual(
          history.entries.map((e) => [e.action, e.status, e.reason]),
          [
            ['grant', 'ACTIVE', null],
            ['revoke', 'REVOKED', 'loan repaid'],
          ],
        );
        await rejects(acme.user, consent('revoke', granted.consentId, 'again'), 'INVALID_STATE_TRANSITION');
      });

      it('the registration authority revokes too; a bank, another region or a missing reason cannot', async () => {
        const granted = await submit<Consent>(acme.user, signedGrant(acme));
        await rejects(hub.bank, consent('revoke', granted.consentId, 'no'), 'FORBIDDEN');
        await rejects(hub.guangde.admin, consent('revoke', granted.consentId, 'no'), 'FORBIDDEN');
        await rejects(other.user, consent('revoke', granted.consentId, 'no'), 'FORBIDDEN');
        await rejects(impostor, consent('revoke', granted.consentId, 'no'), 'FORBIDDEN');
        await rejects(acme.user, consent('revoke', granted.consentId, '  '), 'INVALID_ARGUMENT');
        await rejects(acme.user, consent('revoke', `cs-${'0'.repeat(32)}`, 'x'), 'NOT_FOUND');
        await rejects(acme.user, consent('revoke', 'nonsense', 'x'), 'INVALID_ARGUMENT');
        const revoked = await submit<Consent>(hub.wuhan.admin, consent('revoke', granted.consentId, 'court order'));
        assert.equal(revoked.lastChange.mspId, 'WuhanMSP');
        assert.equal(revoked.status, 'REVOKED');
      });

      it('a later consent for the bank applies when an earlier one was revoked; the longest-running one is used', async () => {
        const first = await submit<Consent>(hub.wuhan.admin, recordedGrant());
        await submit(hub.wuhan.admin, consent('revoke', first.consentId, 'replaced'));
        const short = await submit<Consent>(hub.wuhan.admin, recordedGrant({ expiresOn: addDays(today, 5) }));
        const long = await submit<Consent>(hub.wuhan.admin, recordedGrant({ expiresOn: addDays(today, 90) }));
        assert.equal((await check()).consent?.consentId, long.consentId);
        assert.equal((await check('BankMSP', 'credit-detail', addDays(today, 91))).reason, 'EXPIRED');
        assert.notEqual(short.consentId, long.consentId);
      });

      it('only the bank named, the enterprise and its authority may check; arguments are validated', async () => {
        await refusedQuery(hub.bank, consent('check', acme.uscc, 'OtherBankMSP', 'credit-detail', ''), 'FORBIDDEN');
        await refusedQuery(hub.verifier, consent('check', acme.uscc, 'BankMSP', 'credit-detail', ''), 'FORBIDDEN');
        await refusedQuery(hub.guangde.admin, consent('check', acme.uscc, 'BankMSP', 'credit-detail', ''), 'FORBIDDEN');
        assert.equal((await check('BankMSP', 'credit-detail', '', acme.user)).reason, 'NO_CONSENT');
        assert.equal((await check('BankMSP', 'credit-detail', '', hub.wuhan.admin)).reason, 'NO_CONSENT');
        await refusedQuery(hub.bank, consent('check', acme.uscc, 'BankMSP', 'all', ''), 'INVALID_ARGUMENT');
        await refusedQuery(
          hub.bank,
          consent('check', acme.uscc, 'BankMSP', 'credit-detail', '2026-13-01'),
          'INVALID_ARGUMENT',
        );
        await refusedQuery(hub.bank, consent('check', 'nope', 'BankMSP', 'credit-detail', ''), 'INVALID_IDENTIFIER');
      });
    });

    describe('listing', () => {
      it('lists an enterprise’s consents by bank, oldest first, a page at a time; a bank sees only its own', async () => {
        const a = await submit<Consent>(hub.wuhan.admin, recordedGrant());
        const b = await submit<Consent>(acme.user, signedGrant(acme, { scope: ['licenses'] }));
        const c = await submit<Consent>(hub.wuhan.admin, recordedGrant({ bank: 'OtherBankMSP' }));
        await submit(hub.wuhan.admin, consent('revoke', a.consentId, 'replaced'));
        const ids = (page: Page<Consent>): string[] => page.items.map((x) => x.consentId);
        for (const reader of [acme.user, hub.wuhan.admin]) {
          const all = await evaluate<Page<Consent>>(reader, consent('listByEnterprise', acme.uscc, '', '10', ''));
          assert.deepEqual(ids(all), [a.consentId, b.consentId, c.consentId]);
          assert.equal(all.items[0]?.status, 'REVOKED');
        }
        const first = await evaluate<Page<Consent>>(acme.user, consent('listByEnterprise', acme.uscc, '', '2', ''));
        assert.deepEqual(ids(first), [a.consentId, b.consentId]);
        const second = await evaluate<Page<Consent>>(
          acme.user,
          consent('listByEnterprise', acme.uscc, '', '2', first.bookmark),
        );
        assert.deepEqual(ids(second), [c.consentId]);
        const bankView = await evaluate<Page<Consent>>(
          hub.bank,
          consent('listByEnterprise', acme.uscc, 'BankMSP', '10', ''),
        );
        assert.deepEqual(ids(bankView), [a.consentId, b.consentId]);
        const byBank = await evaluate<Page<Consent>>(hub.bank, consent('listByBank', 'BankMSP', '10', ''));
        assert.deepEqual(ids(byBank), [a.consentId, b.consentId]);
        await refusedQuery(hub.bank, consent('listByEnterprise', acme.uscc, '', '10', ''), 'FORBIDDEN');
        await refusedQuery(hub.bank, consent('listByEnterprise', acme.uscc, 'OtherBankMSP', '10', ''), 'FORBIDDEN');
        await refusedQuery(hub.bank, consent('listByBank', 'OtherBankMSP', '10', ''), 'FORBIDDEN');
        await refusedQuery(acme.user, consent('listByBank', 'BankMSP', '10', ''), 'FORBIDDEN');
        await refusedQuery(hub.guangde.admin, consent('listByEnterprise', acme.uscc, '', '10', ''), 'FORBIDDEN');
        await refusedQuery(hub.verifier, consent('get', a.consentId), 'FORBIDDEN');
        await refusedQuery(hub.bank, consent('get', c.consentId), 'FORBIDDEN');
        await refusedQuery(other.user, consent('history', a.consentId), 'FORBIDDEN');
        await refusedQuery(acme.user, consent('listByEnterprise', acme.uscc, '', '0', ''), 'INVALID_ARGUMENT');
      });
    });

    describe('audit heads', () => {
      const hash = (n: number): string => sm3Hex(Buffer.from(`entry ${String(n)}`));

      it('the gateway’s audit identity anchors heads that only move forward; the history keeps each', async () => {
        const first = await submit<AuditHead>(hub.auditAnchor, audit('anchorAuditHead', 'gw-1', '1', hash(1)));
        assert.deepEqual([first.logId, first.seq, first.headHash, first.previousSeq], ['gw-1', 1, hash(1), null]);
        assert.equal(first.writer.mspId, 'HubMSP');
        assert.equal(await lastEvent(), 'AuditHeadAnchored');
        const second = await submit<AuditHead>(hub.auditAnchor, audit('anchorAuditHead', 'gw-1', '5', hash(5)));
        assert.equal(second.previousSeq, 1);
        const stale = await rejects(
          hub.auditAnchor,
          audit('anchorAuditHead', 'gw-1', '5', hash(5)),
          'STALE_AUDIT_HEAD',
        );
        assert.equal(stale.context['anchoredSeq'], 5);
        await rejects(hub.auditAnchor, audit('anchorAuditHead', 'gw-1', '3', hash(3)), 'STALE_AUDIT_HEAD');
        assert.deepEqual(await evaluate(hub.bank, audit('getAuditHead', 'gw-1')), second);
        const history = await evaluate<{ logId: string; heads: AuditHead[] }>(
          hub.verifier,
          audit('auditHeadHistory', 'gw-1'),
        );
        assert.deepEqual(
          history.heads.map((h) => [h.seq, h.headHash]),
          [
            [1, hash(1)],
            [5, hash(5)],
          ],
        );
        // Logs are independent.
        await submit(hub.auditAnchor, audit('anchorAuditHead', 'gw-2', '1', hash(1)));
        assert.deepEqual(
          (await evaluate<{ heads: AuditHead[] }>(hub.bank, audit('auditHeadHistory', 'unknown'))).heads,
          [],
        );
        await refusedQuery(hub.bank, audit('getAuditHead', 'unknown'), 'NOT_FOUND');
      });

      it('banks, admins and other identities cannot anchor; a log has one keeper', async () => {
        const request = audit('anchorAuditHead', 'gw-1', '1', hash(1));
        for (const caller of [hub.bank, hub.hubAdmin, hub.verifier, hub.wuhan.admin, acme.user]) {
          await rejects(caller, request, 'FORBIDDEN');
        }
        const regional = await issueFabricIdentity(hub.wuhan.ca, {
          mspId: hub.wuhan.mspId,
          enrollmentId: 'regional-audit',
          attrs: { role: 'audit-anchor' },
        });
        await rejects(regional, request, 'FORBIDDEN');
        await submit(hub.auditAnchor, request);
        const second = await issueFabricIdentity(hub.hubCa, {
          mspId: 'HubMSP',
          enrollmentId: 'another-gateway',
          attrs: { role: 'audit-anchor' },
        });
        await rejects(second, audit('anchorAuditHead', 'gw-1', '2', hash(2)), 'FORBIDDEN');
        await submit(second, audit('anchorAuditHead', 'gw-other', '1', hash(1)));
      });

      it('refuses malformed log IDs, sequence numbers and hashes', async () => {
        for (const args of [
          ['', '1', hash(1)],
          ['a/b', '1', hash(1)],
          ['gw', '0', hash(1)],
          ['gw', '-1', hash(1)],
          ['gw', '1.5', hash(1)],
          ['gw', '01', hash(1)],
          ['gw', '1', hash(1).toUpperCase()],
          ['gw', '1', 'abc'],
        ]) {
          await rejects(hub.auditAnchor, audit('anchorAuditHead', ...args), 'INVALID_ARGUMENT');
        }
      });
    });
  });
}
