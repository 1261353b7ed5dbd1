// Shared by the CertHub pages: calling the /v1 API (a failed answer becomes an ApiError carrying the problem details),
// saying why a call failed, the signed-in token, status and date formatting, and building DOM without innerHTML (every
// value shown comes from a document or the API, so it is always inserted as text).
'use strict';

(() => {
  const TOKEN_KEY = 'certhub.token';

  /** A one-line explanation of a failed API answer (RFC 9457 problem details) for people, each failing field named. */
  function problemText(status, p) {
    if (p && typeof p === 'object') {
      const parts = [p.title || 'Error', p.detail, p.code ? '(' + p.code + ')' : ''];
      // Validation problems list their failing fields (JSON pointer + message) in `issues`.
      const issues = Array.isArray(p.issues) ? p.issues : [];
      return ['HTTP ' + status + ': ' + parts.filter(Boolean).join(' '), ...issues.map(issueText)].join(' ');
    }
    return 'HTTP ' + status + (typeof p === 'string' && p ? ': ' + p.slice(0, 200) : '');
  }
  const issueText = (issue) => '· ' + issue.pointer + ' ' + issue.message;

  /** The gateway answered, with an error: the status, the problem's stable code and detail; the message is for people. */
  class ApiError extends Error {
    constructor(status, body) {
      super(problemText(status, body));
      this.name = 'ApiError';
      this.status = status;
      this.problem = body && typeof body === 'object' ? body : null;
      this.code = this.problem ? this.problem.code : undefined;
      this.detail = this.problem ? this.problem.detail : undefined;
    }
  }

  /** The gateway could not be reached (or the answer broke off): no problem details, only the browser's reason. */
  class GatewayUnreachableError extends Error {
    constructor(cause) {
      super(cause instanceof Error ? cause.message : String(cause));
      this.name = 'GatewayUnreachableError';
      this.cause = cause;
    }
  }

  /** The bearer token the user signed in with, kept for this tab only (sessionStorage, never localStorage). */
  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }
  function setToken(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  }

  /**
   * Calls the API and resolves to the answer's body: parsed JSON when the answer is JSON, else the text. A failed
   * answer rejects with an ApiError, an unreachable gateway with a GatewayUnreachableError. `token` defaults to the
   * signed-in one; pass '' to call anonymously.
   */
  async function api(path, { method = 'GET', body, token: bearer = token(), headers } = {}) {
    const init = { method, headers: { Accept: 'application/json, application/problem+json', ...headers } };
    if (bearer) init.headers.Authorization = 'Bearer ' + bearer;
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    let parsed;
    try {
      res = await fetch(path, init);
      const type = res.headers.get('content-type') || '';
      parsed = type.includes('json') ? await res.json().catch(() => null) : await res.text();
    } catch (cause) {
      throw new GatewayUnreachableError(cause);
    }
    if (!res.ok) throw new ApiError(res.status, parsed);
    return parsed;
  }

  /** Shows a status message in a live region (role="alert" or "status") so screen readers announce it too. */
  function say(region, text, kind) {
    region.textContent = text;
    region.className = 'message' + (kind ? ' message-' + kind : '');
    region.hidden = !text;
  }

  /**
   * Says in `region` why an API call failed: `prefix` (e.g. '签发失败 (not issued) ') and the gateway's problem, or
   * that the gateway could not be reached. Any other error is the page's own bug: thrown on, so it is seen as one.
   */
  function sayProblem(region, error, prefix = '') {
    if (!(error instanceof ApiError || error instanceof GatewayUnreachableError)) throw error;
    const text = error instanceof ApiError ? prefix + error.message : '请求失败 (request failed): ' + error.message;
    say(region, text, 'error');
  }

  /** el('p', { class: 'x' }, 'text', child) → an element; strings become text nodes. */
  function el(tag, attrs, ...children) {
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
  }

  const $ = (id) => document.getElementById(id);

  /** The values of the checked boxes inside `container` (a fieldset of choices). */
  const checkedValues = (container) => [...container.querySelectorAll('input:checked')].map((input) => input.value);

  /** Offers `content` as a file download (the signed JSON, a QR image). */
  function download(filename, content, type) {
    const url = URL.createObjectURL(new Blob([content], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  /**
   * The day `days` after today in the user's time zone, as YYYY-MM-DD: today's by default (toISOString would give the
   * UTC date, a day off near midnight).
   */
  function localDate(days = 0) {
    const date = new Date();
    date.setDate(date.getDate() + days);
    const pad = (n) => String(n).padStart(2, '0');
    return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate());
  }

  /** An instant from the API for people: 2026-01-02T03:04:05.678Z → 2026-01-02 03:04:05Z. */
  const instant = (iso) => iso.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');

  /** The name a page's table gives a code (a state, a step, a category), or the code itself when it has none. */
  const named = (names, code) => names[code] || code;

  /** Status codes of DESIGN.md's license lifecycle, with Chinese and English names. */
  const STATUS_NAMES = {
    '01': '有效 valid',
    '02': '暂停 suspended',
    '03': '撤销 withdrawn',
    '04': '注销 cancelled',
    '05': '过期 expired',
    '07': '吊销 revoked',
  };
  const statusName = (code) => code + ' ' + (STATUS_NAMES[code] || '');

  window.CertHub = {
    ApiError,
    GatewayUnreachableError,
    token,
    setToken,
    api,
    say,
    sayProblem,
    el,
    $,
    checkedValues,
    download,
    localDate,
    instant,
    named,
    statusName,
  };
})();
