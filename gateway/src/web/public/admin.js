// The Region admin page: the region's issuers with their SM2 certificates (register, rotate, retire), and recognition
// agreements (list, propose, accept, revoke). Everything goes through the /v1 API with the admin's own token.
'use strict';

(() => {
  const { api, el, say, sayProblem, askReason, checkedValues, localDate, instant, named, $ } = window.CertHub;
  const message = $('admin-message');
  const RECOGNITION_NAMES = { PROPOSED: '待接受 proposed', ACTIVE: '生效 active', REVOKED: '已撤销 revoked' };
  let me = null;

  const isRegionAdmin = () => me !== null && me.role === 'region-admin';
  const day = (iso) => iso.slice(0, 10);

  function typeCheckboxes(fieldset, prefix, types) {
    fieldset.replaceChildren(
      fieldset.querySelector('legend'),
      ...types.map((t, i) =>
        el(
          'div',
          { class: 'check' },
          el('input', { type: 'checkbox', id: `${prefix}-${i}`, value: t.code }),
          ' ',
          el('label', { for: `${prefix}-${i}` }, `${t.name} · ${t.code}`),
        ),
      ),
    );
  }

  /** The page for a signed-in user: the region's issuers and agreements for admins, a note for anyone else. */
  async function signedIn(user) {
    me = user;
    if (me.role !== 'region-admin' && me.role !== 'hub-admin') {
      say(message, '此页面仅供地区管理员使用 (for region and hub admins only)', 'info');
      return;
    }
    // Only a region admin registers issuers, rotates keys and proposes agreements; the hub admin reads.
    $('issuer-form').hidden = !isRegionAdmin();
    $('recognition-form').hidden = !isRegionAdmin();
    const types = await api('/v1/license-types').catch(() => []);
    typeCheckboxes($('issuer-types'), 'issuer-type', types);
    typeCheckboxes($('recognition-types'), 'recognition-type', types);
    $('issuers').hidden = false;
    $('recognitions').hidden = false;
    await Promise.all([renderIssuers(), renderRecognitions()]);
  }

  function certificateItem(issuer, certificate, mayChange) {
    const current = certificate.retiredAt === null;
    return el(
      'li',
      { 'data-fingerprint': certificate.fingerprint, 'data-retired': current ? 'false' : 'true' },
      el('code', { title: 'SM3 ' + certificate.fingerprint }, 'SM3 ' + certificate.fingerprint.slice(0, 16) + '…'),
      el('br'),
      `有效期 valid ${day(certificate.notBefore)} — ${day(certificate.notAfter)} · 登记 registered ${day(certificate.registeredAt)}`,
      el('br'),
      el(
        'span',
        { class: current ? 'state-current' : 'state-retired' },
        current
          ? '在用 current'
          : `已停用 retired ${instant(certificate.retiredAt)}` +
              (certificate.retirementReason ? ` · ${certificate.retirementReason}` : ''),
      ),
      current && mayChange
        ? el(
            'button',
            {
              type: 'button',
              class: 'danger small',
              'aria-label': `停用证书 ${certificate.fingerprint.slice(0, 16)} (retire this key of ${issuer.name})`,
              onclick: () => retireCertificate(issuer, certificate),
            },
            '停用 Retire',
          )
        : null,
    );
  }

  async function renderIssuers() {
    const query = isRegionAdmin() ? '?region=' + encodeURIComponent(me.region) : '';
    const body = $('issuer-table').querySelector('tbody');
    let issuers;
    try {
      ({ issuers } = await api('/v1/issuers' + query));
    } catch (error) {
      body.replaceChildren();
      sayProblem($('issuers-status'), error);
      return;
    }
    say($('issuers-status'), issuers.length === 0 ? '尚无签发机构 (no issuers yet)' : '', 'info');
    body.replaceChildren(
      ...issuers.map((issuer) => {
        const mayChange = isRegionAdmin() && issuer.region === me.region;
        return el(
          'tr',
          { 'data-issuer': issuer.uscc },
          el('th', { scope: 'row' }, el('strong', {}, issuer.name), el('br'), el('code', {}, issuer.uscc)),
          el('td', {}, issuer.region),
          el('td', {}, issuer.licenseTypes.join(', ')),
          el(
            'td',
            {},
            el(
              'ul',
              { class: 'certificates', 'aria-label': `${issuer.name} 的证书 (certificates)` },
              ...issuer.certificates.map((c) => certificateItem(issuer, c, mayChange)),
            ),
            mayChange
              ? el(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary small',
                    'aria-label': `为 ${issuer.name} 轮换密钥 (rotate the signing key)`,
                    onclick: (event) => rotateKey(issuer, event.currentTarget),
                  },
                  '轮换密钥 Rotate key',
                )
              : null,
          ),
        );
      }),
    );
  }

  async function rotateKey(issuer, button) {
    button.disabled = true;
    try {
      const created = await api(`/v1/issuers/${encodeURIComponent(issuer.uscc)}/certificates`, {
        method: 'POST',
        body: {},
      });
      say(
        message,
        `已为 ${issuer.name} 登记新证书 (new certificate) SM3 ${created.fingerprint.slice(0, 16)}…，此后由它签发 (it signs from now on)`,
        'ok',
      );
    } catch (error) {
      sayProblem(message, error, '轮换失败 (rotation failed) ');
    } finally {
      button.disabled = false;
    }
    await renderIssuers();
  }

  async function retireCertificate(issuer, certificate) {
    const answer = await askReason({
      title: '停用签名密钥 Retire a signing key',
      subject: `${issuer.name} · SM3 ${certificate.fingerprint.slice(0, 16)}…`,
      confirm: '停用 Retire',
      withTime: true,
    });
    if (answer === null) return;
    const path =
      `/v1/issuers/${encodeURIComponent(issuer.uscc)}/certificates/` +
      `${encodeURIComponent(certificate.fingerprint)}/retire`;
    const body = { reason: answer.reason, ...(answer.at ? { retiredAt: answer.at } : {}) };
    try {
      await api(path, { method: 'POST', body });
      say(message, `已停用 (retired) SM3 ${certificate.fingerprint.slice(0, 16)}…`, 'ok');
    } catch (error) {
      sayProblem(message, error, '停用失败 (retirement failed) ');
    }
    await renderIssuers();
  }

  async function renderRecognitions() {
    const query = isRegionAdmin() ? '?region=' + encodeURIComponent(me.region) : '';
    const body = $('recognition-table').querySelector('tbody');
    let recognitions;
    try {
      ({ recognitions } = await api('/v1/recognitions' + query));
    } catch (error) {
      body.replaceChildren();
      sayProblem($('recognitions-status'), error);
      return;
    }
    say($('recognitions-status'), recognitions.length === 0 ? '尚无互认协议 (no agreements yet)' : '', 'info');
    body.replaceChildren(
      ...recognitions.map((r) => {
        const actions = [];
        const counterpart = r.proposedBy === r.acceptingRegion ? r.issuingRegion : r.acceptingRegion;
        const party = isRegionAdmin() && (r.acceptingRegion === me.region || r.issuingRegion === me.region);
        // The region that did not propose accepts; either region may revoke.
        if (isRegionAdmin() && r.status === 'PROPOSED' && counterpart === me.region) {
          actions.push(
            el(
              'button',
              {
                type: 'button',
                'aria-label': `接受互认协议 ${r.id} (accept)`,
                onclick: () => acceptRecognition(r),
              },
              '接受 Accept',
            ),
          );
        }
        if (party && r.status !== 'REVOKED') {
          actions.push(
            el(
              'button',
              {
                type: 'button',
                class: 'danger',
                'aria-label': `撤销互认协议 ${r.id} (revoke)`,
                onclick: () => revokeRecognition(r),
              },
              '撤销 Revoke',
            ),
          );
        }
        return el(
          'tr',
          { 'data-recognition-id': r.id, 'data-status': r.status },
          el('td', {}, r.acceptingRegion),
          el('td', {}, r.issuingRegion),
          el('td', {}, r.licenseTypes.join(', ')),
          el('td', {}, `${r.validFrom} — ${r.validUntil || '长期 open'}`),
          el(
            'td',
            { class: 'status' },
            named(RECOGNITION_NAMES, r.status),
            el('br'),
            el('span', { class: 'note' }, `由 ${r.proposedBy} 提议 (proposed by ${r.proposedBy})`),
            r.revocationReason ? [el('br'), el('span', { class: 'note' }, `原因 reason: ${r.revocationReason}`)] : null,
          ),
          el('td', {}, ...actions),
        );
      }),
    );
  }

  async function acceptRecognition(r) {
    try {
      const accepted = await api(`/v1/recognitions/${encodeURIComponent(r.id)}/accept`, { method: 'POST' });
      say(message, `已接受 (accepted): ${r.acceptingRegion} 认可 ${r.issuingRegion} → ${accepted.status}`, 'ok');
    } catch (error) {
      sayProblem(message, error, '接受失败 (accept failed) ');
    }
    await renderRecognitions();
  }

  async function revokeRecognition(r) {
    const answer = await askReason({
      title: '撤销互认协议 Revoke an agreement',
      subject: `${r.acceptingRegion} 认可 (accepts) ${r.issuingRegion}: ${r.licenseTypes.join(', ')}`,
      confirm: '撤销 Revoke',
      withTime: false,
    });
    if (answer === null) return;
    try {
      await api(`/v1/recognitions/${encodeURIComponent(r.id)}/revoke`, {
        method: 'POST',
        body: { reason: answer.reason },
      });
      say(message, `已撤销 (revoked) ${r.id}`, 'ok');
    } catch (error) {
      sayProblem(message, error, '撤销失败 (revoke failed) ');
    }
    await renderRecognitions();
  }

  $('issuer-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const licenseTypes = checkedValues($('issuer-types'));
    if (licenseTypes.length === 0) {
      say(message, '请至少选择一种证照类型 (choose at least one license type)', 'error');
      $('issuer-types').querySelector('input')?.focus();
      return;
    }
    const certificate = $('issuer-certificate').value.trim();
    try {
      const registered = await api('/v1/issuers', {
        method: 'POST',
        body: {
          code: $('issuer-code').value.trim(),
          name: $('issuer-name').value.trim(),
          region: me.region,
          licenseTypes,
          ...(certificate ? { certificate } : {}),
        },
      });
      say(message, `已登记 (registered) ${registered.name} · SM3 ${registered.fingerprint.slice(0, 16)}…`, 'ok');
      event.target.reset();
    } catch (error) {
      sayProblem(message, error, '登记失败 (registration failed) ');
    }
    await renderIssuers();
  });

  $('recognition-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const licenseTypes = checkedValues($('recognition-types'));
    if (licenseTypes.length === 0) {
      say(message, '请至少选择一种证照类型 (choose at least one license type)', 'error');
      $('recognition-types').querySelector('input')?.focus();
      return;
    }
    try {
      const proposed = await api('/v1/recognitions', {
        method: 'POST',
        body: {
          acceptingRegion: me.region,
          issuingRegion: $('issuing-region').value.trim(),
          licenseTypes,
          validFrom: $('recognition-from').value,
          validUntil: $('recognition-until').value || null,
        },
      });
      say(message, `已提议 (proposed) ${proposed.id}，待 ${proposed.agreement.issuingRegion} 接受`, 'ok');
    } catch (error) {
      sayProblem(message, error, '提议失败 (proposal failed) ');
    }
    await renderRecognitions();
  });

  function signedOut() {
    me = null;
    for (const id of ['issuers', 'recognitions']) $(id).hidden = true;
  }

  $('recognition-from').value = localDate();
  window.CertHub.startSignIn({ message, onSignedIn: signedIn, onSignedOut: signedOut });
})();
