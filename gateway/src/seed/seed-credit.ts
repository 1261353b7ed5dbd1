import { addDays } from '@certhub/chaincode/dist/credit-model';
import { DEVELOPMENT_ENTERPRISE, DEVELOPMENT_USERS } from '../auth/development-users';
import type { IssuerRef, User } from '../auth/user';
import type { CreditRecordRequest } from '../schemas';
import { chinaDate } from '../services/china-date';
import type { CreditRecords } from '../services/credit-records';
import type { StringSpace } from '../services/gateway-stores';
import { SeedError } from './errors';

/** Where the seed remembers the day it first ran (its records are dated from it) and that it completed. */
const BASE_DATE_KEY = 'seed\u0000credit-demo\u0000base';
const DONE_KEY = 'seed\u0000credit-demo\u0000done';

function creditSource(): { user: User; authority: IssuerRef } {
  const user = DEVELOPMENT_USERS.find((u) => u.user.role === 'credit-source')?.user;
  if (user?.authority == null) throw new SeedError('no development credit source with an authority', {});
  return { user, authority: user.authority };
}

function addYears(date: string, years: number): string {
  return `${String(Number(date.slice(0, 4)) + years)}${date.slice(4)}`.replace(/-02-29$/, '-02-28');
}

/**
 * The demo enterprise's credit history, dated from the first start `base`: a food business licence, a general and a
 * minor administrative penalty, the "守合同重信用" red list, and an abnormal-operation listing that was later removed
 * (a repair), all from the Wuhan market supervision bureau. The general penalty makes the class B.
 */
export function demoCreditRecords(base: string, authority: IssuerRef): CreditRecordRequest[] {
  const subject = DEVELOPMENT_ENTERPRISE.code;
  const common = { subject, subjectName: DEVELOPMENT_ENTERPRISE.name, authority };
  const year = base.slice(0, 4);
  return [
    {
      ...common,
      category: 'ADMIN_LICENSE',
      severity: 'MINOR',
      decisionDate: addDays(base, -120),
      documentNumber: `武市监食许〔${year}〕0117号`,
      content: {
        documentName: '食品经营许可决定书',
        licenceCategory: '普通',
        certificateName: '食品经营许可证',
        certificateNumber: 'JY14201110000117',
        validFrom: addDays(base, -120),
        validUntil: addYears(addDays(base, -121), 5),
      },
    },
    {
      ...common,
      category: 'ADMIN_PENALTY',
      severity: 'GENERAL',
      decisionDate: addDays(base, -40),
      documentNumber: `武市监处罚〔${year}〕0042号`,
      content: {
        violationType: '虚假宣传',
        facts: '当事人在其官方网站宣传产品"通过国家级认证"，经查无相关认证。',
        legalBasis: '《中华人民共和国反不正当竞争法》第八条第一款、第二十条第一款',
        penaltyCategories: ['警告', '罚款'],
        penaltyContent: '警告，罚款人民币贰万元整。',
        fineAmount: 2,
        confiscationAmount: 0,
        validUntil: addDays(base, 20),
        dataSource: authority,
      },
    },
    {
      ...common,
      category: 'ADMIN_PENALTY',
      severity: 'MINOR',
      decisionDate: addDays(base, -20),
      documentNumber: `武市监处罚〔${year}〕0057号`,
      content: {
        violationType: '未按规定亮照经营',
        facts: '经营场所未在醒目位置悬挂营业执照。',
        legalBasis: '《市场主体登记管理条例》第三十六条、第四十八条',
        penaltyCategories: ['警告'],
        penaltyContent: '警告。',
        fineAmount: 0,
        confiscationAmount: 0,
        validUntil: addDays(base, -20),
        dataSource: authority,
      },
    },
    {
      ...common,
      category: 'REDLIST',
      severity: 'MINOR',
      decisionDate: addDays(base, -200),
      documentNumber: `武市监信〔${year}〕0008号`,
      validUntil: addYears(addDays(base, -201), 2),
      content: { honour: '守合同重信用企业' },
    },
    {
      ...common,
      category: 'ABNORMAL_OPERATION',
      severity: 'GENERAL',
      decisionDate: addDays(base, -300),
      documentNumber: `武市监异〔${year}〕0311号`,
      content: {
        reason: '未按《企业信息公示暂行条例》规定的期限公示年度报告',
        legalBasis: '《企业经营异常名录管理暂行办法》第四条',
      },
    },
  ];
}

/**
 * DEVELOPMENT MODE ONLY: anchors the demo credit records through the same service (and checks) as
 * POST /v1/credit-records, as the development credit source, each with an Idempotency-Key so an interrupted seed
 * completes on the next start instead of repeating; then removes the abnormal-operation listing (a repair), so the
 * bank page shows a history. Returns how many records it wrote (0 once seeded).
 */
export async function seedDevelopmentCredit(
  credit: CreditRecords,
  space: StringSpace,
  clock: () => Date,
): Promise<number> {
  if ((await space.get(DONE_KEY)) !== undefined) return 0;
  let base = await space.get(BASE_DATE_KEY);
  if (base === undefined) {
    base = chinaDate(clock());
    await space.put(BASE_DATE_KEY, base);
  }
  const { user: source, authority } = creditSource();
  const requests = demoCreditRecords(base, authority);
  let written = 0;
  for (const [index, request] of requests.entries()) {
    const created = await credit.create(source, request, `dev-seed-credit-${String(index)}`);
    written += 1;
    if (request.category === 'ABNORMAL_OPERATION') {
      const anchored = await credit.get(source, created.recordId);
      if (anchored.status === 'ACTIVE') {
        await credit.change(source, created.recordId, 'repair', '已补报并公示年度报告，申请移出经营异常名录');
      }
    }
  }
  await space.put(DONE_KEY, new Date(clock()).toISOString());
  return written;
}
