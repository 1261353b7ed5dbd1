// The Region admin page: the region's issuers with their SM2 certificates, and recognition agreements.
'use strict';

(() => {
  const { api, el, say, problemText } = window.CertHub;
  const $ = (id) => document.getElementById(id);
  const message = $('admin-message');
  const RECOGNITION_NAMES = { PROPOSED: '待接受 proposed', ACTIVE: '生效 active', REVOKED: '已撤销 revoked' };
  let me = null;

  /** A route the gateway does not serve (yet) answers 404 NOT_FOUND from its fallback, not from the route. */
  const missingRoute = (result) => result.status === 404 && result.body && result.body.code === 'NOT_FOUND';
  function explain(region, result, what) {
    say(
      region,
      missingRoute(result)
        ? `网关尚未提供${what}接口 (this gateway does not serve ${result.path} yet)`
        : problemText(result),
      missingRoute(result) ? 'info' : 'error',
    );
  }
  const call = async (method, path, options) => ({
    ...(await api(method, path, { token: window.CertHub.token(), ...options })),
    path: method + ' ' + path.split('?')[0],
  });

  function signedOut() {
    $('signin').hidden = false;
    for (const id of ['account', 'issuers', 'recognitions']) $(id).hidden = true;
  }

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
  const checked = (fieldset) => [...fieldset.querySelectorAll('input:checked')].map((input) => input.value);

  async function signIn(token) {
    const result = await api('GET', '/v1/me', { token });
    if (!result.ok) {
      window.CertHub.setToken('');
      signedOut();
      say(message, '登录失败 (sign-in failed) ' + problemText(result), 'error');
      return;
    }
    window.CertHub.setToken(token);
    me = result.body;
    $('whoami').replaceChildren(
      el('strong', {}, me.name),
      ` · ${me.role} · ${me.org}` + (me.region ? ` · 地区 region ${me.region}` : ''),
    );
    $('signin').hidden = true;
    $('account').hidden = false;
    if (me.role !== 'region-admin' && me.role !== 'hub-admin') {
      say(message, '此页面仅供地区管理员使用 (for region and hub admins only)', 'info');
      return;
    }
    say(message, '');
    // Only a region admin registers issuers and proposes agreements; the hub admin reads.
    $('issuer-form').hidden = me.role !== 'region-admin';
    $('recognition-form').hidden = me.role !== 'region-admin';
    const types = await api('GET', '/v1/license-types', { token });
    if (types.ok) {
      typeCheckboxes($('issuer-types'), 'issuer-type', types.body);
      typeCheckboxes($('recognition-types'), 'recognition-type', types.body);
    }
    $('issuers').hidden = false;
    $('recognitions').hidden = false;
    await Promise.all([renderIssuers(), renderRecognitions()]);
  }

  async function renderIssuers() {
    const query = me.role === 'region-admin' ? '?region=' + encodeURIComponent(me.region) : '';
    const result = await call('GET', '/v1/issuers' + query);
    const body = $('issuer-table').querySelector('tbody');
    if (!result.ok) {
      body.replaceChildren();
      explain($('issuers-status'), result, '签发机构列表');
      return;
    }
    say($('issuers-status'), '');
    body.replaceChildren(
      ...result.body.issuers.map((issuer) =>
        el(
          'tr',
          {},
          el('td', {}, el('strong', {}, issuer.name), el('br'), el('code', {}, issuer.uscc)),
          el('td', {}, issuer.region),
          el('td', {}, issuer.licenseTypes.join(', ')),
          el(
            'td',
            {},
            el(
              'ul',
              {},
              ...issuer.certificates.map((c) =>
                el(
                  'li',
                  {},
                  el('code', {}, 'SM3 ' + c.fingerprint.slice(0, 16) + '…'),
                  ` ${c.notBefore.slice(0, 10)} — ${c.notAfter.slice(0, 10)}`,
                  c.retiredAt ? ` · 已停用 retired ${c.retiredAt.slice(0, 10)}` : ' · 在用 current',
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  async function renderRecognitions() {
    const query = me.role === 'region-admin' ? '?region=' + encodeURIComponent(me.region) : '';
    const result = await call('GET', '/v1/recognitions' + query);
    const body = $('recognition-table').querySelector('tbody');
    if (!result.ok) {
      body.replaceChildren();
      explain($('recognitions-status'), result, '互认协议列表');
      return;
    }
    say($('recognitions-status'), '');
    body.replaceChildren(
      ...result.body.recognitions.map((r) => {
        const actions = [];
        // The issuing region accepts a proposal; either side may revoke an agreement.
        if (me.role === 'region-admin' && r.status === 'PROPOSED' && r.issuingRegion === me.region) {
          actions.push(
            el('button', { type: 'button', onclick: () => recognitionAction(r.id, 'accept') }, '接受 Accept'),
          );
        }
        if (me.role === 'region-admin' && r.status !== 'REVOKED') {
          actions.push(
            el(
              'button',
              { type: 'button', class: 'danger', onclick: () => recognitionAction(r.id, 'revoke') },
              '撤销 Revoke',
            ),
          );
        }
        return el(
          'tr',
          { 'data-recognition-id': r.id },
          el('td', {}, r.acceptingRegion),
          el('td', {}, r.issuingRegion),
          el('td', {}, r.licenseTypes.join(', ')),
          el('td', {}, `${r.validFrom} — ${r.validUntil || '长期'}`),
          el('td', {}, RECOGNITION_NAMES[r.status] || r.status),
          el('td', {}, ...actions),
        );
      }),
    );
  }

  async function recognitionAction(id, action) {
    let body;
    if (action === 'revoke') {
      const reason = window.prompt('撤销原因 (reason for revoking)');
      if (!reason) return;
      body = { reason };
    }
    const result = await call('POST', `/v1/recognitions/${encodeURIComponent(id)}/${action}`, { body });
    if (!result.ok) explain(message, result, '互认协议操作');
    else say(message, `${id} → ${result.body.status}`, 'ok');
    await renderRecognitions();
  }

  $('issuer-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = await call('POST', '/v1/issuers', {
      body: {
        code: $('issuer-code').value.trim(),
        name: $('issuer-name').value.trim(),
        region: me.region,
        licenseTypes: checked($('issuer-types')),
      },
    });
    if (!result.ok) explain(message, result, '登记签发机构');
    else say(message, '已登记 (registered) ' + result.body.name, 'ok');
    await renderIssuers();
  });

  $('recognition-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = await call('POST', '/v1/recognitions', {
      body: {
        acceptingRegion: me.region,
        issuingRegion: $('issuing-region').value.trim(),
        licenseTypes: checked($('recognition-types')),
        validFrom: $('recognition-from').value,
        validUntil: $('recognition-until').value || null,
      },
    });
    if (!result.ok) explain(message, result, '提议互认');
    else say(message, '已提议 (proposed) ' + result.body.id, 'ok');
    await renderRecognitions();
  });

  $('signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    signIn($('token').value.trim());
  });
  $('signout').addEventListener('click', () => {
    window.CertHub.setToken('');
    me = null;
    say(message, '');
    signedOut();
  });
  $('recognition-from').value = window.CertHub.today();

  if (window.CertHub.token()) signIn(window.CertHub.token());
  else signedOut();
})();
