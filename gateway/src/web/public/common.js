// Shared by the CertHub pages: calling the /v1 API, the signed-in token, and building DOM without innerHTML
// (every value shown comes from a document or the API, so it is always inserted as text).
'use strict';

const TOKEN_KEY = 'certhub.token';

window.CertHub = {
  /** The bearer token the user signed in with, kept for this tab only (sessionStorage, never localStorage). */
  token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  },
  setToken(token) {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  },

  /**
   * Calls the API and resolves to { ok, status, body } whatever the status; body is parsed JSON (or problem+json)
   * when the answer is JSON, else the text. Rejects only when the gateway cannot be reached.
   */
  async api(method, path, { body, token, headers } = {}) {
    const init = { method, headers: { Accept: 'application/json, application/problem+json', ...(headers || {}) } };
    if (token) init.headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(path, init);
    const type = res.headers.get('content-type') || '';
    const parsed = type.includes('json') ? await res.json().catch(() => null) : await res.text();
    return { ok: res.ok, status: res.status, body: parsed };
  },

  /** A one-line explanation of a failed API answer (RFC 9457 problem details), for people. */
  problemText(result) {
    const p = result.body;
    if (p && typeof p === 'object') {
      const parts = [p.title || 'Error', p.detail, p.code ? '(' + p.code + ')' : ''];
      if (Array.isArray(p.errors)) {
        for (const e of p.errors) parts.push('· ' + (e.pointer || e.path || '') + ' ' + (e.message || e.detail || ''));
      }
      return 'HTTP ' + result.status + ': ' + parts.filter(Boolean).join(' ');
    }
    return 'HTTP ' + result.status + (typeof p === 'string' && p ? ': ' + p.slice(0, 200) : '');
  },

  /** el('p', { class: 'x' }, 'text', child) → an element; strings become text nodes. */
  el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  },

  /** Shows a status message in a live region so screen readers announce it too. */
  say(region, text, kind) {
    region.textContent = text;
    region.className = 'message' + (kind ? ' message-' + kind : '');
    region.hidden = !text;
  },

  /** Offers `content` as a file download (the signed JSON, a QR image). */
  download(filename, content, type) {
    const url = URL.createObjectURL(new Blob([content], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  },

  /** Today in the user's time zone as YYYY-MM-DD (toISOString would give the UTC date, a day off near midnight). */
  today() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, '0');
    return now.getFullYear() + '-' + pad(now.getMonth() + 1) + '-' + pad(now.getDate());
  },

  /** Status codes of DESIGN.md's license lifecycle, with Chinese and English names. */
  STATUS_NAMES: {
    '01': '有效 valid',
    '02': '暂停 suspended',
    '03': '撤销 withdrawn',
    '04': '注销 cancelled',
    '05': '过期 expired',
    '07': '吊销 revoked',
  },
  statusName(code) {
    return code + ' ' + (window.CertHub.STATUS_NAMES[code] || '');
  },
};
