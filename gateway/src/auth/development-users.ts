import { tokenHash } from './token-hash';
import type { IssuerRef, User } from './user';
import { UserDirectory } from './user-directory';

/*
 * DEVELOPMENT MODE ONLY. The demo users of issues 4 and 6 with fixed, public tokens (documented in the README), so a
 * developer, the browser tests and the CLI examples can sign in without setup. Production never loads them: it
 * requires a users file (config.ts refuses to start without one).
 *
 * The issuers' USCCs are made up but valid: "11" (registration authority: institutional establishment; category:
 * government organ) + the region code + a 9-character organisation code with its GB 11714 check digit + the GB 32100
 * check character, generated with certs-service's usccCheckChar. The tests re-check every one.
 */

export const DEVELOPMENT_REGIONS = {
  WUHAN: '420100',
  HUANGSHI: '420200',
  GUANGDE: '341882',
} as const;

/** The issuing departments the development clerks act for; the development seed registers them. */
export const DEVELOPMENT_ISSUERS = {
  WUHAN_AMR: { code: '114201000111350663', name: '武汉市市场监督管理局' },
  GUANGDE_AMR: { code: '113418820031587274', name: '广德市市场监督管理局' },
} as const satisfies Record<string, IssuerRef>;

/** The enterprise the development enterprise user acts for (a made-up Wuhan company with a valid USCC). */
export const DEVELOPMENT_ENTERPRISE = { code: '91420100303217469Q', name: '武汉光谷示例科技有限公司' } as const;

export interface DevelopmentUser {
  readonly token: string;
  readonly user: User;
}

const { WUHAN, HUANGSHI, GUANGDE } = DEVELOPMENT_REGIONS;

function user(fields: Pick<User, 'id' | 'name' | 'org' | 'role'> & Partial<User>): User {
  return { region: null, issuer: null, enterprise: null, authority: null, ...fields };
}

export const DEVELOPMENT_USERS: readonly DevelopmentUser[] = [
  {
    token: 'dev-hub-admin',
    user: user({ id: 'hub-admin', name: 'CertHub 平台管理员 (hub admin)', org: 'HubMSP', role: 'hub-admin' }),
  },
  {
    token: 'dev-wuhan-admin',
    user: user({
      id: 'wuhan-admin',
      name: '武汉市管理员 (Wuhan region admin)',
      org: 'WuhanMSP',
      role: 'region-admin',
      region: WUHAN,
    }),
  },
  {
    token: 'dev-wuhan-clerk',
    user: user({
      id: 'wuhan-clerk',
      name: '武汉市市场监督管理局 办事员 (Wuhan clerk)',
      org: 'WuhanMSP',
      role: 'clerk',
      region: WUHAN,
      issuer: DEVELOPMENT_ISSUERS.WUHAN_AMR,
    }),
  },
  {
    token: 'dev-guangde-admin',
    user: user({
      id: 'guangde-admin',
      name: '广德市管理员 (Guangde region admin)',
      org: 'GuangdeMSP',
      role: 'region-admin',
      region: GUANGDE,
    }),
  },
  {
    token: 'dev-guangde-clerk',
    user: user({
      id: 'guangde-clerk',
      name: '广德市市场监督管理局 办事员 (Guangde clerk)',
      org: 'GuangdeMSP',
      role: 'clerk',
      region: GUANGDE,
      issuer: DEVELOPMENT_ISSUERS.GUANGDE_AMR,
    }),
  },
  {
    token: 'dev-guangde-verifier',
    user: user({
      id: 'guangde-verifier',
      name: '广德市政务服务中心 核验员 (Guangde verifier)',
      org: 'GuangdeMSP',
      role: 'verifier',
      region: GUANGDE,
    }),
  },
  {
    token: 'dev-huangshi-verifier',
    user: user({
      id: 'huangshi-verifier',
      name: '黄石市政务服务中心 核验员 (Huangshi verifier)',
      org: 'HuangshiMSP',
      role: 'verifier',
      region: HUANGSHI,
    }),
  },
  {
    token: 'dev-bank',
    user: user({ id: 'bank', name: '示例银行 信贷审核 (bank)', org: 'BankMSP', role: 'bank' }),
  },
  {
    token: 'dev-wuhan-credit',
    user: user({
      id: 'wuhan-credit',
      name: '武汉市市场监督管理局 信用监管 (Wuhan credit source)',
      org: 'WuhanMSP',
      role: 'credit-source',
      region: WUHAN,
      // The market supervision bureau publishes its own licences, penalties, abnormal-operation listings and its
      // "守合同重信用" red list, so it is the demo's credit source as well as an issuer: one registered SM2 key signs both.
      authority: DEVELOPMENT_ISSUERS.WUHAN_AMR,
    }),
  },
  {
    token: 'dev-enterprise',
    user: user({
      id: 'enterprise',
      name: `${DEVELOPMENT_ENTERPRISE.name} (enterprise)`,
      org: 'WuhanMSP',
      role: 'enterprise',
      region: WUHAN,
      enterprise: DEVELOPMENT_ENTERPRISE.code,
    }),
  },
];

/** The development users as a directory (their tokens hashed like any other user's). */
export function developmentUserDirectory(): UserDirectory {
  return UserDirectory.fromEntries(
    DEVELOPMENT_USERS.map(({ token, user: u }) => ({ tokenHash: tokenHash(token), user: u })),
    'development users',
  );
}
