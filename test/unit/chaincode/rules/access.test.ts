import assert from 'node:assert/strict';
import type { HubConfig, Issuer, Region } from '@certhub/chaincode';
import {
  assertAuditAnchor,
  assertBankOf,
  assertClerkOf,
  assertClerkOrRegionAdmin,
  assertCreditSourceOf,
  assertEnterpriseItself,
  assertEnterpriseOrAuthority,
  assertMayReadConsents,
  assertHubAdmin,
  assertMayInitialiseHub,
  assertRegionAdmin,
  forbiddenUnlessAny,
  type Caller,
} from '@certhub/chaincode/dist/rules/access';

const stamp = { txId: 't', timestamp: '2026-11-21T00:00:00.000Z', mspId: 'HubMSP', actor: 'x' };
const hub: HubConfig = { hubMspId: 'HubMSP', created: stamp };
const wuhan: Region = {
  code: '420100',
  name: 'Wuhan',
  mspId: 'WuhanMSP',
  rootCertificatePem: '',
  rootFingerprint: '',
  created: stamp,
};
const guangde: Region = {
  code: '341882',
  name: 'Guangde',
  mspId: 'GuangdeMSP',
  rootCertificatePem: '',
  rootFingerprint: '',
  created: stamp,
};
const issuer: Issuer = {
  uscc: 'ISSUER-A',
  name: 'A',
  region: '420100',
  licenseTypes: [],
  certificates: [],
  updated: stamp,
};

const caller = (
  mspId: string,
  role: string | null,
  region: string | null = null,
  issuerCode: string | null = null,
  authority: string | null = null,
  enterprise: string | null = null,
): Caller => ({
  mspId,
  id: `x509::/CN=${role ?? 'none'}`,
  role,
  region,
  issuer: issuerCode,
  authority,
  enterprise,
});

/** Every kind of caller the access rules must tell apart. */
const CALLERS = {
  hubAdmin: caller('HubMSP', 'hub-admin'),
  hubAdminOfRegionMsp: caller('WuhanMSP', 'hub-admin'),
  wuhanAdmin: caller('WuhanMSP', 'region-admin', '420100'),
  guangdeAdmin: caller('GuangdeMSP', 'region-admin', '341882'),
  wuhanAdminClaimInGuangdeMsp: caller('GuangdeMSP', 'region-admin', '420100'),
  clerkOfIssuer: caller('WuhanMSP', 'clerk', '420100', 'ISSUER-A'),
  clerkOfOtherIssuer: caller('WuhanMSP', 'clerk', '420100', 'ISSUER-B'),
  clerkClaimInOtherMsp: caller('GuangdeMSP', 'clerk', '420100', 'ISSUER-A'),
  clerkWithWrongRegion: caller('WuhanMSP', 'clerk', '341882', 'ISSUER-A'),
  verifier: caller('WuhanMSP', 'verifier', '420100'),
  bank: caller('BankMSP', 'bank'),
  creditSourceOfIssuer: caller('WuhanMSP', 'credit-source', '420100', null, 'ISSUER-A'),
  creditSourceOfOtherAuthority: caller('WuhanMSP', 'credit-source', '420100', null, 'ISSUER-B'),
  creditSourceClaimInOtherMsp: caller('GuangdeMSP', 'credit-source', '420100', null, 'ISSUER-A'),
  creditSourceWithWrongRegion: caller('WuhanMSP', 'credit-source', '341882', null, 'ISSUER-A'),
  clerkClaimingAuthority: caller('WuhanMSP', 'clerk', '420100', 'ISSUER-A', 'ISSUER-A'),
  noRole: caller('WuhanMSP', null),
  enterpriseE: caller('WuhanMSP', 'enterprise', '420100', null, null, 'ENTERPRISE-E'),
  otherEnterprise: caller('WuhanMSP', 'enterprise', '420100', null, null, 'ENTERPRISE-F'),
  enterpriseClaimInOtherMsp: caller('GuangdeMSP', 'enterprise', null, null, null, 'ENTERPRISE-E'),
  bankClaimingEnterprise: caller('BankMSP', 'bank', null, null, null, 'ENTERPRISE-E'),
  otherBank: caller('OtherBankMSP', 'bank'),
  auditAnchor: caller('HubMSP', 'audit-anchor'),
  auditAnchorOfRegionMsp: caller('WuhanMSP', 'audit-anchor'),
} as const;
type CallerName = keyof typeof CALLERS;

function check(rule: string, allowed: readonly CallerName[], run: (c: Caller) => void): void {
  for (const [name, c] of Object.entries(CALLERS) as [CallerName, Caller][]) {
    const ok = allowed.includes(name);
    it(`${rule}: ${ok ? 'allows' : 'forbids'} ${name}`, () => {
      if (ok) run(c);
      else {
        assert.throws(
          () => {
            run(c);
          },
          (error: unknown) =>
            (error as { code?: string }).code === 'FORBIDDEN' &&
            (error as { context: Record<string, unknown> }).context['mspId'] === c.mspId,
        );
      }
    });
  }
}

describe('chaincode rules: access', () => {
  check('initialise the hub', ['hubAdmin', 'hubAdminOfRegionMsp'], (c) => {
    assertMayInitialiseHub(c);
  });
  check('add regions and license types', ['hubAdmin'], (c) => {
    assertHubAdmin(c, hub, 'add a region');
  });
  check("change Wuhan's issuers", ['wuhanAdmin'], (c) => {
    assertRegionAdmin(c, wuhan, 'register an issuer');
  });
  check("change Guangde's issuers", ['guangdeAdmin'], (c) => {
    assertRegionAdmin(c, guangde, 'register an issuer');
  });
  check('anchor or change a license of issuer A', ['clerkOfIssuer', 'clerkClaimingAuthority'], (c) => {
    assertClerkOf(c, issuer, wuhan, 'anchor a license');
  });
  check('expire a license of issuer A', ['clerkOfIssuer', 'clerkClaimingAuthority', 'wuhanAdmin'], (c) => {
    assertClerkOrRegionAdmin(c, issuer, wuhan, 'expire');
  });
  check('write credit records of authority A', ['creditSourceOfIssuer'], (c) => {
    assertCreditSourceOf(c, issuer, wuhan, 'anchor a credit record');
  });
  check('propose a Wuhan–Guangde agreement', ['wuhanAdmin', 'guangdeAdmin'], (c) => {
    forbiddenUnlessAny(c, [wuhan, guangde], 'propose');
  });

  check('grant a signed consent of enterprise E (registered in Wuhan)', ['enterpriseE'], (c) => {
    assertEnterpriseItself(c, 'ENTERPRISE-E', wuhan, 'grant');
  });
  check('revoke a consent of enterprise E', ['enterpriseE', 'wuhanAdmin'], (c) => {
    assertEnterpriseOrAuthority(c, 'ENTERPRISE-E', wuhan, 'revoke');
  });
  check(
    "read enterprise E's consents for BankMSP",
    ['enterpriseE', 'wuhanAdmin', 'bank', 'bankClaimingEnterprise'],
    (c) => {
      assertMayReadConsents(c, 'ENTERPRISE-E', wuhan, 'BankMSP', 'read');
    },
  );
  check("list all of enterprise E's consents", ['enterpriseE', 'wuhanAdmin'], (c) => {
    assertMayReadConsents(c, 'ENTERPRISE-E', wuhan, null, 'list');
  });
  check('list the consents given to BankMSP', ['bank', 'bankClaimingEnterprise'], (c) => {
    assertBankOf(c, 'BankMSP', 'list');
  });
  check('anchor an audit log head', ['auditAnchor'], (c) => {
    assertAuditAnchor(c, hub, 'anchor');
  });

  it('reports which region a recognition admin speaks for', () => {
    assert.equal(forbiddenUnlessAny(CALLERS.guangdeAdmin, [wuhan, guangde], 'propose').code, '341882');
  });
});
