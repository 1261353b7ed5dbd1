/*
 * Valid POST /v1/credit-records bodies for each category (issue 6), about a made-up Wuhan enterprise and by the
 * development credit source's authority (the Wuhan market supervision bureau). Tests override what they are about.
 */

export const WUHAN_AMR = { name: '武汉市市场监督管理局', code: '114201000111350663' } as const;
/** A made-up Wuhan enterprise with a valid USCC, other than the development demo enterprise. */
export const CREDIT_SUBJECT = '91420100MA4K00001U';

type Body = Record<string, unknown>;

function base(category: string, severity: string, decisionDate: string, overrides: Body): Body {
  return {
    subject: CREDIT_SUBJECT,
    subjectName: '武汉示例贸易有限公司',
    category,
    severity,
    decisionDate,
    documentNumber: `武市监${category}〔2026〕${decisionDate.replace(/-/g, '')}号`,
    authority: WUHAN_AMR,
    ...overrides,
  };
}

export function penaltyContent(overrides: Body = {}): Body {
  return {
    violationType: '虚假宣传',
    facts: '在其网站发布未经证实的产品功效宣传。',
    legalBasis: '《中华人民共和国反不正当竞争法》第八条第一款、第二十条第一款',
    penaltyCategories: ['警告', '罚款'],
    penaltyContent: '警告，罚款人民币贰万元整。',
    fineAmount: 2,
    confiscationAmount: 0,
    validUntil: '2030-12-31',
    dataSource: WUHAN_AMR,
    ...overrides,
  };
}

export function penaltyRequest(decisionDate: string, overrides: Body = {}, content: Body = {}): Body {
  return base('ADMIN_PENALTY', 'GENERAL', decisionDate, { content: penaltyContent(content), ...overrides });
}

export function licenceRequest(decisionDate: string, overrides: Body = {}, content: Body = {}): Body {
  return base('ADMIN_LICENSE', 'MINOR', decisionDate, {
    content: {
      documentName: '食品经营许可决定书',
      licenceCategory: '普通',
      certificateName: '食品经营许可证',
      certificateNumber: 'JY14201000000001',
      validFrom: decisionDate,
      validUntil: '2031-12-31',
      ...content,
    },
    ...overrides,
  });
}

export function taxRatingRequest(decisionDate: string, rating: string, overrides: Body = {}): Body {
  return base('TAX_RATING', 'MINOR', decisionDate, { rating, content: { ratingYear: 2025 }, ...overrides });
}

export function listingRequest(
  category: 'ABNORMAL_OPERATION' | 'DISHONEST_DEBTOR' | 'BLACKLIST' | 'REDLIST',
  decisionDate: string,
  overrides: Body = {},
): Body {
  const content: Record<typeof category, Body> = {
    ABNORMAL_OPERATION: { reason: '未按规定期限公示年度报告', legalBasis: '《企业经营异常名录管理暂行办法》第四条' },
    DISHONEST_DEBTOR: { caseNumber: '（2026）鄂01执123号', court: '武汉市中级人民法院', obligation: '支付货款50万元' },
    BLACKLIST: { reason: '提供虚假材料骗取登记', legalBasis: '《市场监督管理严重违法失信名单管理办法》第十条' },
    REDLIST: { honour: '守合同重信用企业' },
  };
  const severity = category === 'REDLIST' ? 'MINOR' : 'SERIOUS';
  return base(category, severity, decisionDate, { content: content[category], ...overrides });
}
