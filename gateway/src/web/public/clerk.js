// The Clerk page: sign in with a token, issue for an authorised type, then download, suspend or revoke.
'use strict';

(() => {
  const { api, el, say, sayProblem, statusName, named, download, localDate, $ } = window.CertHub;
  const message = $('clerk-message');
  const ISSUED_KEY = 'certhub.issued';
  const HOLDER_ID_KINDS = { '001': '统一社会信用代码 USCC', 111: '居民身份证号码 resident ID' };
  const ACTIONS = [
    ['suspend', '暂停 Suspend'],
    ['reinstate', '恢复 Reinstate'],
    ['revoke', '吊销 Revoke'],
    ['cancel', '注销 Cancel'],
  ];
  const FINAL_ACTIONS = new Set(['revoke', 'cancel']);
  let types = [];
  // One key per filled-in form: a retried submission (double click, lost answer) never issues twice.
  let idempotencyKey = crypto.randomUUID();

  const issuedList = () => JSON.parse(sessionStorage.getItem(ISSUED_KEY) || '[]');
  const saveIssued = (list) => sessionStorage.setItem(ISSUED_KEY, JSON.stringify(list));

  /** The page for a signed-in clerk: the issue form for the types its issuer may issue, and this tab's licenses. */
  async function signedIn(user) {
    const all = await api('/v1/license-types').catch(() => []);
    types = all.filter((t) => user.licenseTypes.includes(t.code));
    const canIssue = user.role === 'clerk' && types.length > 0;
    $('issue').hidden = !canIssue;
    $('licenses').hidden = !canIssue;
    if (!canIssue) {
      say(message, '此账号无权签发证照 (this account is not authorised to issue licenses)', 'info');
      return;
    }
    $('type').replaceChildren(...types.map((t) => el('option', { value: t.code }, `${t.name} · ${t.code}`)));
    typeChanged();
    await renderLicenses();
  }

  function selectedType() {
    return types.find((t) => t.code === $('type').value);
  }
  function typeChanged() {
    const type = selectedType();
    if (!type) return;
    $('license-name').value = type.name.replace(/\s*\(.*\)$/, '');
    $('holder-id-kind').textContent = named(HOLDER_ID_KINDS, type.holderIdType);
  }

  function parseFields(text) {
    const fields = {};
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const at = line.indexOf('=');
      if (at <= 0) throw new Error('登记事项格式应为 名称=内容 (face items are name=value): ' + line);
      fields[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    return fields;
  }

  async function issue(event) {
    event.preventDefault();
    const type = selectedType();
    let fields;
    try {
      fields = parseFields($('fields').value);
    } catch (error) {
      say(message, error.message, 'error');
      return;
    }
    const body = {
      typeCode: type.code,
      number: $('number').value.trim(),
      name: $('license-name').value.trim(),
      holder: { name: $('holder-name').value.trim(), idType: type.holderIdType, id: $('holder-id').value.trim() },
      validFrom: $('valid-from').value,
      validUntil: $('valid-until').value || null,
      fields,
    };
    const button = $('issue-button');
    button.disabled = true;
    say(message, '签发中… (issuing)', 'info');
    try {
      const { licenseId, docHash } = await api('/v1/licenses', {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': idempotencyKey },
      });
      idempotencyKey = crypto.randomUUID();
      const list = issuedList().filter((l) => l.licenseId !== licenseId);
      list.unshift({ licenseId, docHash, name: body.name, holder: body.holder.name, number: body.number });
      saveIssued(list);
      say(message, '已签发并上链 (issued and anchored): ' + licenseId, 'ok');
      await renderLicenses();
    } catch (error) {
      sayProblem(message, error, '签发失败 (not issued) ');
    } finally {
      button.disabled = false;
    }
  }

  async function downloadDocument(licenseId) {
    let signed;
    try {
      signed = await api(`/v1/licenses/${encodeURIComponent(licenseId)}/document`);
    } catch (error) {
      sayProblem(message, error, '下载失败 (download failed) ');
      return;
    }
    download(`${licenseId}.json`, JSON.stringify(signed, null, 2) + '\n', 'application/json');
  }

  async function downloadQr(licenseId) {
    const res = await fetch(`/v1/licenses/${encodeURIComponent(licenseId)}/qr.svg`);
    if (!res.ok) {
      say(message, '二维码下载失败 (QR download failed) HTTP ' + res.status, 'error');
      return;
    }
    download(`${licenseId}.qr.svg`, await res.text(), 'image/svg+xml');
  }

  async function changeStatus(licenseId, action, reason) {
    let changed;
    try {
      changed = await api(`/v1/licenses/${encodeURIComponent(licenseId)}/${action}`, {
        method: 'POST',
        body: { reason },
      });
    } catch (error) {
      sayProblem(message, error, '状态变更失败 (status not changed) ');
      return;
    }
    say(message, `${licenseId} → ${statusName(changed.status)}`, 'ok');
    await renderLicenses();
  }

  function licenseRow(entry, state, index) {
    const id = entry.licenseId;
    const reasonId = 'reason-' + index;
    const actionId = 'action-' + index;
    return el(
      'tr',
      { 'data-license-id': id },
      el('td', {}, el('strong', {}, entry.name), ` · ${entry.number} · ${entry.holder}`, el('br'), el('code', {}, id)),
      el('td', { class: 'status' }, state ? statusName(state.status) : '—'),
      el(
        'td',
        {},
        el('img', {
          class: 'qr',
          src: `/v1/licenses/${encodeURIComponent(id)}/qr.svg`,
          alt: '二维码 QR code of ' + id,
        }),
        el('br'),
        el(
          'button',
          { type: 'button', class: 'secondary download', onclick: () => downloadDocument(id) },
          '下载文件 File',
        ),
        el('button', { type: 'button', class: 'secondary download-qr', onclick: () => downloadQr(id) }, '二维码 QR'),
      ),
      el(
        'td',
        {},
        el(
          'form',
          {
            class: 'status-form',
            onsubmit: (event) => {
              event.preventDefault();
              const action = $(actionId).value;
              // Revocation and cancellation cannot be undone: ask once more, naming the license.
              if (
                FINAL_ACTIONS.has(action) &&
                !window.confirm(
                  `确认${action === 'revoke' ? '吊销' : '注销'}证照 ${id}？此操作不可撤回。(This cannot be undone.)`,
                )
              ) {
                return;
              }
              changeStatus(id, action, $(reasonId).value.trim());
            },
          },
          el('label', { for: actionId }, '操作 (action)'),
          el('select', { id: actionId }, ...ACTIONS.map(([value, label]) => el('option', { value }, label))),
          el('label', { for: reasonId }, '原因 (reason)'),
          el('input', { id: reasonId, type: 'text', maxlength: 500, required: true }),
          el('button', { type: 'submit', class: 'danger' }, '执行 Apply'),
        ),
      ),
    );
  }

  async function renderLicenses() {
    const list = issuedList();
    // A license this tab cannot read (any more) is listed without its status.
    const states = await Promise.all(
      list.map((entry) => api(`/v1/licenses/${encodeURIComponent(entry.licenseId)}`).catch(() => null)),
    );
    $('license-table')
      .querySelector('tbody')
      .replaceChildren(
        ...(list.length === 0
          ? [el('tr', {}, el('td', { colspan: 4 }, '尚未签发 (none yet)'))]
          : list.map((entry, index) => licenseRow(entry, states[index], index))),
      );
  }

  function signedOut() {
    for (const id of ['issue', 'licenses']) $(id).hidden = true;
  }

  // Signing out ends the session whose licenses the page lists (a refused token alone does not).
  $('signout').addEventListener('click', () => sessionStorage.removeItem(ISSUED_KEY));
  $('type').addEventListener('change', typeChanged);
  $('issue-form').addEventListener('submit', issue);
  $('valid-from').value = localDate();
  window.CertHub.startSignIn({ message, onSignedIn: signedIn, onSignedOut: signedOut });
})();
