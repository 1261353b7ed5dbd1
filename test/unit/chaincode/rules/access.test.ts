import assert from 'node:assert/strict';
import type { HubConfig, Issuer, Region } from '@certhub/chaincode';
import {
  assertClerkOf,
  assertClerkOrRegionAdmin,
  assertCreditSourceOf,
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
): Caller => ({
  mspId,
  id: `x509::/CN=${role ?? 'none'}`,
  role,
  region,
  issuer: issuerCode,
  authority,
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

  it('reports which region a recognition admin speaks for', () => {
    assert.equal(forbiddenUnlessAny(CALLERS.guangdeAdmin, [wuhan, guangde], 'propose').code, '341882');
  });
});
