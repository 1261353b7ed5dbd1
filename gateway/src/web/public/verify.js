// The public Verify page: sends a document, a QR payload or a license ID to POST /v1/verify and shows the report.
'use strict';

(() => {
  const { api, el, say, sayProblem, statusName, named, $ } = window.CertHub;
  const form = $('verify-form');
  const message = $('verify-message');

  const VERDICTS = {
    VALID: '有效 VALID',
    INVALID: '无效 INVALID',
    UNKNOWN: '无法确定 UNKNOWN',
  };
  const STEP_NAMES = {
    format: '格式 format',
    hash: '摘要 hash',
    signature: '签名 signature',
    issuer: '签发机构 issuer',
    anchor: '链上存证 anchor',
    status: '状态 status',
    validity: '有效期 validity',
    recognition: '互认 recognition',
  };
  const ACTION_NAMES = {
    issue: '签发 issue',
    'batch-member': '批量签发 batch issue',
    suspend: '暂停 suspend',
    reinstate: '恢复 reinstate',
    revoke: '吊销 revoke',
    cancel: '注销 cancel',
    expire: '过期 expire',
    amend: '变更 amend',
    renew: '换发 renew',
    'transfer-in': '转入 transfer-in',
    supersede: '被替代 supersede',
  };

  // Uploading a file fills the text box, so what is verified is always visible and editable.
  $('document-file').addEventListener('change', async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    $('document-text').value = await file.text();
    $('reference').value = '';
  });

  /** The request body from whichever input the user filled; throws a message for people when none or bad. */
  function requestBody() {
    const text = $('document-text').value.trim();
    const reference = $('reference').value.trim();
    if (text) {
      let document;
      try {
        document = JSON.parse(text);
      } catch (error) {
        throw new Error('文件不是有效的 JSON (the file is not valid JSON): ' + error.message);
      }
      if (!document || typeof document !== 'object' || Array.isArray(document)) {
        throw new Error('文件内容应为一个 JSON 对象 (expected one JSON object)');
      }
      return { document };
    }
    if (reference.startsWith('certhub:')) return { qr: reference };
    if (reference) return { licenseId: reference };
    throw new Error('请上传或粘贴证照文件，或输入二维码内容 / 证照标识 (provide a file, a QR payload or a license ID)');
  }

  function showReport(report) {
    const verdict = $('verdict');
    verdict.dataset.verdict = report.verdict;
    verdict.replaceChildren(
      el('span', { class: 'verdict-label' }, named(VERDICTS, report.verdict)),
      el('span', { class: 'verdict-time' }, '核验时间 checked at ' + report.checkedAt),
    );
    $('recognition').textContent =
      report.recognized === null
        ? '未登录核验：不判断本地区是否互认 (anonymous: regional recognition not assessed)'
        : report.recognized
          ? '本地区认可此证照 (recognised in your region)'
          : '本地区未与签发地区达成互认 (not recognised in your region)';

    $('checks')
      .querySelector('tbody')
      .replaceChildren(
        ...report.checks.map((check) =>
          el(
            'tr',
            { 'data-step': check.step, 'data-ok': String(check.ok) },
            el('th', { scope: 'row' }, named(STEP_NAMES, check.step)),
            el(
              'td',
              { class: 'ok ok-' + String(check.ok) },
              check.ok === true ? '✓ 通过 ok' : check.ok === false ? '✗ 未通过 failed' : '— 未判断 not assessed',
            ),
            el('td', {}, check.detail),
          ),
        ),
      );

    const face = $('face');
    const license = report.license;
    if (!license) {
      face.replaceChildren(el('p', {}, '无证照信息 (no license found)'));
    } else {
      const rows = [
        ['证照标识 License ID', license.licenseId],
        ['证照名称 Name', license.name],
        ['证照类型 Type', license.type && license.type.name],
        ['证照编号 Number', license.number],
        ['持证主体 Holder', license.holder && license.holder.name],
        ['签发机构 Issuer', license.issuer && license.issuer.name + ' (' + license.issuer.code + ')'],
        ['签发日期 Issued on', license.issuedOn],
        ['有效期 Valid', license.validFrom && license.validFrom + ' — ' + (license.validUntil || '长期 no end')],
        ['链上状态 Status', license.status && statusName(license.status)],
        ['版本 Version', license.version],
      ];
      for (const [key, value] of Object.entries(license.fields || {})) {
        rows.push([key, typeof value === 'string' ? value : JSON.stringify(value)]);
      }
      face.replaceChildren(
        ...rows
          .filter(([, value]) => value !== undefined && value !== null && value !== '')
          .flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, String(value))]),
      );
    }

    $('history').replaceChildren(
      ...(report.history.length === 0
        ? [el('li', {}, '无链上记录 (no ledger entries)')]
        : report.history.map((entry) =>
            el(
              'li',
              { 'data-action': entry.action },
              el('time', { datetime: entry.timestamp }, entry.timestamp),
              el('strong', {}, ' ' + named(ACTION_NAMES, entry.action)),
              ' → ' + statusName(entry.status),
              entry.reason ? el('span', { class: 'reason' }, ' 原因 reason: ' + entry.reason) : null,
              el('span', { class: 'tx' }, ' ' + entry.mspId + ' / ' + entry.actor + ' · tx ' + entry.txId),
            ),
          )),
    );
    $('result').hidden = false;
    verdict.focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    say(message, '');
    let body;
    try {
      body = requestBody();
    } catch (error) {
      say(message, error.message, 'error');
      return;
    }
    const button = $('verify-button');
    button.disabled = true;
    say(message, '核验中… (verifying)', 'info');
    try {
      // Anonymous unless the user gave a verifier token here: this page never uses a signed-in one.
      const report = await api('/v1/verify', { method: 'POST', body, token: $('verifier-token').value.trim() });
      say(message, '');
      showReport(report);
    } catch (error) {
      sayProblem(message, error);
    } finally {
      button.disabled = false;
    }
  });
})();
