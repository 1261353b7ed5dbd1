// The Consent page (issue 6): an enterprise — or its registration authority, the admin of its region — lets a bank see
// its credit detail until a date, revokes a consent, and reads who looked (the bank-query access log, with whether the
// log verifies against the heads anchored on the ledger). Everything goes through the /v1 API with the user's token.
'use strict';

(() => {
  const { api, el, say, sayProblem, askReason, checkedValues, localDate, instant, named, $ } = window.CertHub;
  const message = $('consent-message');
  const STATE_NAMES = { ACTIVE: '有效 active', EXPIRED: '已过期 expired', REVOKED: '已撤销 revoked' };
  const BASIS_NAMES = {
    SIGNED: '企业签名 signed by the enterprise',
    RECORDED: '登记机关记录 recorded by the authority',
  };
  const SCOPE_NAMES = { 'credit-detail': '信用详细信息 credit detail', licenses: '证照 licenses' };
  const OUTCOME_NAMES = {
    ALLOWED: '已允许 allowed',
    REFUSED_NO_CONSENT: '已拒绝：无授权 refused: no consent',
    REFUSED_EXPIRED: '已拒绝：授权已过期 refused: consent expired',
    REFUSED_REVOKED: '已拒绝：授权已撤销 refused: consent revoked',
    REFUSED_SCOPE: '已拒绝：范围不含 refused: scope lacks credit detail',
  };
  let uscc = '';

  const enterprisePath = () => '/v1/enterprises/' + encodeURIComponent(uscc);

  /** The page for a signed-in user: an enterprise sees its own consents at once, its authority picks an enterprise. */
  async function signedIn(me) {
    if (me.role !== 'enterprise' && me.role !== 'region-admin') {
      say(message, '此页面供企业及其登记机关使用 (for an enterprise and its registration authority)', 'info');
      return;
    }
    $('grant-basis').textContent =
      me.role === 'enterprise'
        ? '授权由网关以本企业的 SM2 密钥签名后上链。 The gateway signs the consent with the enterprise’s SM2 key and anchors it.'
        : '作为登记机关，您以自己的名义记录企业的授权（如书面授权书）。 As the registration authority you record the enterprise’s consent (e.g. a signed form) in your own name.';
    $('enterprise-form').hidden = false;
    if (me.role === 'enterprise') {
      // An enterprise user acts only for its own enterprise.
      $('uscc').value = me.enterprise;
      $('uscc').readOnly = true;
      await load(me.enterprise);
    } else {
      $('uscc').readOnly = false;
      $('uscc').focus();
    }
  }

  async function load(code) {
    uscc = code;
    $('workspace').hidden = false;
    await Promise.all([renderConsents(), renderLog()]);
  }

  async function renderConsents() {
    const body = $('consents').querySelector('tbody');
    let consents;
    try {
      ({ consents } = await api(enterprisePath() + '/consents'));
    } catch (error) {
      body.replaceChildren();
      sayProblem($('consents-status'), error);
      return;
    }
    say($('consents-status'), consents.length === 0 ? '尚无授权 (no consents yet)' : '', 'info');
    body.replaceChildren(
      ...consents.map((c) =>
        el(
          'tr',
          { 'data-consent': c.id, 'data-state': c.state },
          el('th', { scope: 'row' }, c.bank, el('br'), el('code', { class: 'tx' }, c.id)),
          el('td', {}, c.scope.map((s) => named(SCOPE_NAMES, s)).join('、')),
          el('td', {}, c.expiresOn),
          el(
            'td',
            {},
            named(STATE_NAMES, c.state),
            c.state === 'REVOKED' && c.revokedOn ? ` ${c.revokedOn}` : '',
            c.revocationReason ? el('br') : null,
            c.revocationReason ? `原因 reason: ${c.revocationReason}` : null,
          ),
          el('td', {}, named(BASIS_NAMES, c.basis)),
          el('td', {}, c.grantedOn),
          el(
            'td',
            {},
            c.state === 'ACTIVE'
              ? el(
                  'button',
                  {
                    type: 'button',
                    class: 'danger small',
                    'aria-label': `撤销对 ${c.bank} 的授权 (revoke the consent for ${c.bank}, ${c.id})`,
                    onclick: () => revoke(c),
                  },
                  '撤销 Revoke',
                )
              : null,
          ),
        ),
      ),
    );
  }

  async function renderLog() {
    const body = $('access-log').querySelector('tbody');
    let log;
    try {
      log = await api(enterprisePath() + '/access-log');
    } catch (error) {
      body.replaceChildren();
      sayProblem($('log-verification'), error);
      return;
    }
    const { entries, total, verification: v } = log;
    const anchored =
      v.anchoredSeq > 0
        ? `已锚定至第 ${v.anchoredSeq} 条 (anchored up to entry ${v.anchoredSeq}, ${instant(v.anchoredAt)})`
        : '尚未锚定 (not anchored yet)';
    if (v.ok) {
      say(
        $('log-verification'),
        `日志校验通过 (the log verifies): ${v.verifiedEntries} 条 entries, ${anchored}; 本企业 ${total} 条 (for this enterprise).`,
        'ok',
      );
    } else {
      say(
        $('log-verification'),
        `日志校验失败 (the log does NOT verify) at entry ${v.firstBadSeq}: ${v.problem.kind} — ${v.problem.detail}`,
        'error',
      );
    }
    $('log-verification').dataset.ok = String(v.ok);
    body.replaceChildren(
      ...(entries.length === 0
        ? [el('tr', {}, el('td', { colspan: '7' }, '尚无查询 (nobody has looked yet)'))]
        : entries.map((e) =>
            el(
              'tr',
              { 'data-seq': String(e.seq), 'data-outcome': e.outcome, 'data-verified': String(e.verified) },
              el('th', { scope: 'row' }, instant(e.at)),
              el('td', {}, e.bank),
              el('td', {}, e.user),
              el('td', {}, e.purpose),
              el('td', {}, e.what),
              el('td', { class: e.outcome === 'ALLOWED' ? 'ok-true' : 'ok-false' }, named(OUTCOME_NAMES, e.outcome)),
              el('td', {}, e.consentId ? el('code', {}, e.consentId) : '—'),
            ),
          )),
    );
  }

  async function revoke(consent) {
    const answer = await askReason({
      subject: `${consent.bank} · ${consent.id} · 有效期至 expires on ${consent.expiresOn}`,
    });
    if (answer === null) return;
    try {
      await api(`${enterprisePath()}/consents/${encodeURIComponent(consent.id)}/revoke`, {
        method: 'POST',
        body: { reason: answer.reason },
      });
      say(message, `已撤销 (revoked) ${consent.id}：${consent.bank} 自今日起不能再查看详细信息`, 'ok');
    } catch (error) {
      sayProblem(message, error, '撤销失败 (revocation failed) ');
    }
    await renderConsents();
  }

  $('grant-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const scope = checkedValues($('scope'));
    if (scope.length === 0) {
      say(message, '请至少选择一项授权范围 (choose at least one scope)', 'error');
      $('scope-credit-detail').focus();
      return;
    }
    $('grant-button').disabled = true;
    try {
      const granted = await api(enterprisePath() + '/consents', {
        method: 'POST',
        body: { bank: $('bank').value.trim(), scope, expiresOn: $('expires-on').value },
      });
      say(message, `已授权 (granted) ${granted.bank} 至 ${granted.expiresOn}：${granted.id}`, 'ok');
    } catch (error) {
      sayProblem(message, error, '授权失败 (grant failed) ');
    } finally {
      $('grant-button').disabled = false;
    }
    await renderConsents();
  });

  $('enterprise-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const code = $('uscc').value.trim().toUpperCase();
    if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) {
      say(message, '请输入 18 位统一社会信用代码 (enter the 18-character USCC)', 'error');
      $('uscc').focus();
      return;
    }
    say(message, '');
    await load(code);
  });
  $('log-refresh').addEventListener('click', () => renderLog());

  function signedOut() {
    uscc = '';
    for (const id of ['enterprise-form', 'workspace']) $(id).hidden = true;
  }

  // A consent lasts 90 days unless the user picks another last day.
  $('expires-on').value = localDate(90);
  window.CertHub.startSignIn({ message, onSignedIn: signedIn, onSignedOut: signedOut });
})();
