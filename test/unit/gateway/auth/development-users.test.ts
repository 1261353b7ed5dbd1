import assert from 'node:assert/strict';
import { isValidUscc } from '@certhub/certs-service';
import {
  DEVELOPMENT_ENTERPRISE,
  DEVELOPMENT_ISSUERS,
  DEVELOPMENT_USERS,
  developmentUserDirectory,
} from '@certhub/gateway/dist/auth/development-users';
import { roleProblems } from '@certhub/gateway/dist/auth/user';

describe('auth/development-users', () => {
  it('has exactly the tokens issues 4 and 6 name', () => {
    assert.deepEqual(
      DEVELOPMENT_USERS.map((u) => u.token),
      [
        'dev-hub-admin',
        'dev-wuhan-admin',
        'dev-wuhan-clerk',
        'dev-guangde-admin',
        'dev-guangde-clerk',
        'dev-guangde-verifier',
        'dev-huangshi-verifier',
        'dev-bank',
        'dev-wuhan-credit',
        'dev-enterprise',
      ],
    );
  });

  it('puts each user in the organisation, role and region its token names', () => {
    const users = developmentUserDirectory();
    const by = (token: string) => users.findByToken(token);
    assert.deepEqual([by('dev-hub-admin')?.org, by('dev-hub-admin')?.role], ['HubMSP', 'hub-admin']);
    assert.deepEqual([by('dev-wuhan-admin')?.org, by('dev-wuhan-admin')?.region], ['WuhanMSP', '420100']);
    assert.deepEqual([by('dev-guangde-clerk')?.org, by('dev-guangde-clerk')?.region], ['GuangdeMSP', '341882']);
    assert.deepEqual(
      [by('dev-huangshi-verifier')?.org, by('dev-huangshi-verifier')?.region],
      ['HuangshiMSP', '420200'],
    );
    assert.deepEqual([by('dev-bank')?.org, by('dev-bank')?.role], ['BankMSP', 'bank']);
    assert.equal(by('dev-wuhan-credit')?.role, 'credit-source');
    assert.deepEqual(by('dev-wuhan-credit')?.authority, DEVELOPMENT_ISSUERS.WUHAN_AMR);
    assert.equal(by('dev-enterprise')?.enterprise, DEVELOPMENT_ENTERPRISE.code);
    assert.equal(by('dev-wuhan-clerk')?.issuer?.name, '武汉市市场监督管理局');
  });

  it('uses issuer and enterprise USCCs whose check characters are valid (GB 32100)', () => {
    for (const { code } of [...Object.values(DEVELOPMENT_ISSUERS), DEVELOPMENT_ENTERPRISE]) {
      assert.ok(isValidUscc(code), code);
    }
  });

  it('has users whose roles and attributes agree', () => {
    for (const { user } of DEVELOPMENT_USERS) assert.deepEqual(roleProblems(user), [], user.id);
  });
});
