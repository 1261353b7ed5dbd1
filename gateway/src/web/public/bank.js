// The Bank page (issue 6): GET /v1/enterprises/{uscc}/credit — the supervision class with its reasons, the public
// records with their checks, list memberships and licenses; with a purpose, the detail the enterprise consented to.
'use strict';

(() => {
  const { api, el, say, sayProblem, ApiError, statusName, named, $ } = window.CertHub;
  const message = $('bank-message');

  const CATEGORY_NAMES = {
    ADMIN_LICENSE: '行政许可 administrative licence',
    ADMIN_PENALTY: '行政处罚 administrative penalty',
    TAX_RATING: '纳税信用等级 tax credit rating',
    ABNORMAL_OPERATION: '经营异常名录 abnormal operation',
    DISHONEST_DEBTOR: '失信被执行人 dishonest judgment debtor',
    BLACKLIST: '严重失信主体名单 blacklist',
    REDLIST: '守信激励名单 red list',
  };
  const SEVERITY_NAMES = { MINOR: '轻微 minor', GENERAL: '一般 general', SERIOUS: '严重 serious' };
  const RECORD_STATUS = { ACTIVE: '公示中 active', REPAIRED: '已修复 repaired', WITHDRAWN: '已撤销 withdrawn' };
  const CLASS_NAMES = {
    A: '信用良好 good standing',
    B: '一般关注 some concerns',
    C: '重点关注 close supervision',
    D: '严格监管 strict supervision',
  };
  const RULE_NAMES = {
    BLACKLIST: '列入严重失信主体名单 on the blacklist',
    DISHONEST_DEBTOR: '失信被执行人 dishonest judgment debtor',
    SERIOUS_PENALTY: '严重行政处罚 serious administrative penalty',
    ABNORMAL_OPERATION: '列入经营异常名录 abnormal operation listing',
    TAX_RATING_D: '纳税信用 D 级 tax rating D',
    GENERAL_PENALTY: '一般行政处罚 general administrative penalty',
    TAX_RATING_C_M: '纳税信用 C/M 级 tax rating C or M',
    REDLIST: '守信激励（红名单） commendation (red list)',
  };
  const STEP_NAMES = { signature: '签名 signature', anchor: '链上存证 anchor', status: '状态 status' };
  const ITEM_NAMES = {
    subject: '统一社会信用代码 USCC',
    subjectName: '行政相对人 Enterprise',
    category: '类别 Category',
    severity: '程度 Severity',
    decisionDate: '决定日期 Decided on',
    documentNumber: '决定文书号 Document number',
    authority: '决定机关 Authority',
    domains: '处罚领域 Penalty fields',
    rating: '纳税信用等级 Rating',
    validUntil: '有效期至 Valid until',
    violationType: '违法行为类型 Violation',
    facts: '违法事实 Facts',
    legalBasis: '依据 Legal basis',
    penaltyCategories: '处罚类别 Penalty types',
    penaltyContent: '处罚内容 Penalty',
    fineAmount: '罚款金额（万元） Fine (10k yuan)',
    confiscationAmount: '没收金额（万元） Confiscated (10k yuan)',
    publicityEndDate: '公示截止期 Public until',
    dataSource: '数据来源单位 Data source',
    documentName: '决定文书名称 Decision',
    licenceCategory: '许可类别 Licence category',
    certificateName: '许可证书名称 Certificate',
    certificateNumber: '许可编号 Certificate number',
    validFrom: '有效期自 Valid from',
    ratingYear: '评价年度 Year rated',
    reason: '原因 Reason',
    caseNumber: '案号 Case number',
    court: '执行法院 Court',
    obligation: '义务 Obligation',
    honour: '荣誉名称 Commendation',
  };

  /** A value of a full record for people: departments as "name (USCC)", lists joined, objects as JSON. */
  function show(value) {
    if (value === null || value === undefined) return '—';
    if (Array.isArray(value)) return value.map(show).join('、');
    if (typeof value === 'object') {
      if (typeof value.name === 'string' && typeof value.code === 'string') return value.name + ' (' + value.code + ')';
      return JSON.stringify(value);
    }
    return String(value);
  }

  function checksCell(record) {
    const ok = record.checks.every((c) => c.ok === true);
    return el(
      'td',
      {},
      el('span', { class: 'ok ok-' + String(ok) }, ok ? '✓ 全部通过 all passed' : '✗ 未全部通过 not all passed'),
      el(
        'ul',
        { class: 'checks' },
        record.checks.map((check) =>
          el(
            'li',
            { 'data-step': check.step, 'data-ok': String(check.ok) },
            el(
              'span',
              { class: 'ok-' + String(check.ok) },
              (check.ok === true ? '✓ ' : check.ok === false ? '✗ ' : '— ') + named(STEP_NAMES, check.step),
            ),
            ': ' + check.detail,
          ),
        ),
      ),
    );
  }

  function showDetail(detail) {
    const section = $('detail');
    if (!detail) {
      section.hidden = true;
      return;
    }
    const rating = detail.taxRating;
    const meta = [
      ['授权 Consent', detail.consent.id + '，有效至 until ' + detail.consent.expiresOn],
      ['查询日志 Audit entry', '#' + detail.audit.seq + ' · ' + detail.audit.entryHash],
      [
        '纳税信用等级 Tax rating',
        rating
          ? rating.rating + (rating.ratingYear ? '（' + rating.ratingYear + ' 年度 year）' : '')
          : '无 none public',
      ],
    ];
    $('detail-meta').replaceChildren(...meta.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
    $('detail-records').replaceChildren(
      ...detail.records.map((entry) => {
        if (!entry.record) {
          return el(
            'p',
            { class: 'note' },
            entry.recordId + '：本网关未保存完整记录 (full record not held by this gateway)',
          );
        }
        const { content, ...facts } = entry.record;
        // Known data items in the national standard's order, then the source's own items.
        const order = Object.keys(ITEM_NAMES);
        const rank = (key) => (order.includes(key) ? order.indexOf(key) : order.length);
        const entries = [...Object.entries(facts), ...Object.entries(content || {})];
        entries.sort((a, b) => rank(a[0]) - rank(b[0]));
        const rows = entries.map(([key, value]) => [
          named(ITEM_NAMES, key),
          key === 'category'
            ? named(CATEGORY_NAMES, value)
            : key === 'severity'
              ? named(SEVERITY_NAMES, value)
              : show(value),
        ]);
        return el(
          'article',
          { class: 'credit-record', 'data-record': entry.recordId },
          el(
            'h4',
            {},
            named(CATEGORY_NAMES, entry.record.category) + ' · ' + (entry.record.documentNumber || entry.recordId),
          ),
          el(
            'dl',
            { class: 'face' },
            rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]),
          ),
        );
      }),
    );
    section.hidden = false;
  }

  function showProfile(profile) {
    const badge = $('class-badge');
    badge.dataset.class = profile.class;
    badge.replaceChildren(
      el('span', { class: 'verdict-label' }, '监管等级 ' + profile.class),
      el('span', {}, named(CLASS_NAMES, profile.class)),
    );
    $('profile-meta').textContent =
      profile.subject +
      ' · 截至 as of ' +
      profile.onDate +
      ' · 评级规则第 ' +
      profile.ruleSet +
      ' 版 (rule set v' +
      profile.ruleSet +
      ')';

    const categoryOf = new Map(profile.records.map((r) => [r.recordId, r.category]));
    $('reasons').replaceChildren(
      ...(profile.reasons.length === 0
        ? [el('li', {}, '无不良记录 (no adverse records)')]
        : profile.reasons.map((reason) =>
            el(
              'li',
              { 'data-rule': reason.rule },
              named(RULE_NAMES, reason.rule),
              reason.class ? ' → ' + reason.class : ' (不影响等级 noted only)',
              el(
                'span',
                { class: 'tx' },
                ' ' + reason.recordId + ' ' + named(CATEGORY_NAMES, categoryOf.get(reason.recordId)),
              ),
            ),
          )),
    );
    $('lists').replaceChildren(
      ...(profile.lists.length === 0
        ? [el('li', {}, '未列入任何名单 (on no list)')]
        : profile.lists.map((entry) =>
            el(
              'li',
              { 'data-list': entry.list },
              named(CATEGORY_NAMES, entry.list) +
                '：' +
                entry.since +
                ' 起 (since)' +
                (entry.until ? '，至 until ' + entry.until : ''),
            ),
          )),
    );
    $('records')
      .querySelector('tbody')
      .replaceChildren(
        ...(profile.records.length === 0
          ? [el('tr', {}, el('td', { colspan: '6' }, '无公示中的记录 (no public records)'))]
          : profile.records.map((record) =>
              el(
                'tr',
                { 'data-record': record.recordId },
                el('th', { scope: 'row' }, named(CATEGORY_NAMES, record.category)),
                el('td', {}, named(SEVERITY_NAMES, record.severity)),
                el('td', {}, record.decisionDate),
                el('td', {}, record.publicUntil || '至修复或撤销 until repaired or withdrawn'),
                el('td', {}, named(RECORD_STATUS, record.status)),
                checksCell(record),
              ),
            )),
      );
    $('licenses')
      .querySelector('tbody')
      .replaceChildren(
        ...(profile.licenses.length === 0
          ? [el('tr', {}, el('td', { colspan: '4' }, '无有效证照 (no licenses in force)'))]
          : profile.licenses.map((license) =>
              el(
                'tr',
                {},
                el('td', {}, el('code', {}, license.licenseId)),
                el('td', {}, license.issuer),
                el('td', {}, license.validFrom + ' — ' + (license.validUntil || '长期 no end')),
                el('td', {}, statusName(license.status)),
              ),
            )),
      );
    showDetail(profile.detail);
    $('profile').hidden = false;
    badge.focus();
  }

  $('query-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    say(message, '');
    const uscc = $('uscc').value.trim().toUpperCase();
    if (!/^[0-9A-Z]{18}$/.test(uscc)) {
      say(message, '请输入 18 位统一社会信用代码 (enter the 18-character USCC)', 'error');
      $('uscc').focus();
      return;
    }
    const params = new URLSearchParams();
    if ($('on-date').value) params.set('onDate', $('on-date').value);
    const purpose = $('purpose').value.trim();
    const publicQuery = params.toString();
    if (purpose) {
      params.set('detail', 'true');
      params.set('purpose', purpose);
    }
    const path = (query) => '/v1/enterprises/' + encodeURIComponent(uscc) + '/credit' + (query ? '?' + query : '');
    const button = $('query-button');
    button.disabled = true;
    say(message, '查询中… (looking up)', 'info');
    try {
      let profile;
      try {
        profile = await api(path(params.toString()));
      } catch (error) {
        if (!(purpose && error instanceof ApiError && error.status === 403)) throw error;
        // No consent (or not a bank): say why, and still show what is public.
        profile = await api(path(publicQuery));
        showProfile(profile);
        const refusal = error.code === 'CONSENT_REQUIRED' ? '未获企业授权，无法查看详细信息 (no consent): ' : '';
        sayProblem(message, error, refusal);
        return;
      }
      say(message, '');
      showProfile(profile);
    } catch (error) {
      // The gateway's refusal replaces the last profile; when it cannot be reached, that profile stays.
      if (error instanceof ApiError) $('profile').hidden = true;
      sayProblem(message, error);
    } finally {
      button.disabled = false;
    }
  });

  // Signing in changes nothing else here: the query below sends whatever token the tab holds.
  window.CertHub.startSignIn({ message });
})();
