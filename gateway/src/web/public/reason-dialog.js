// The modal dialog that asks why before an action the ledger records with a reason (retiring a key, revoking an
// agreement or a consent). The Region admin and Consent pages share its markup: #reason-dialog holding #reason-form
// with #reason-title, #reason-subject, #reason-text, #reason-confirm and #reason-cancel, and optionally
// #reason-time-row with #reason-time.
'use strict';

(() => {
  const { $ } = window.CertHub;

  /**
   * Opens the dialog and resolves to { reason, at } once confirmed with a reason, or to null when cancelled (the
   * Cancel button or Escape). Focus starts in the reason field and goes back to the element that opened the dialog
   * either way. `subject` names what is acted on; `title` and `confirm` replace the heading and the confirm button's
   * text when given (a page with one use keeps them in its markup); `withTime` shows the optional time row, whose
   * local time comes back as an instant in `at`.
   */
  function askReason({ title, subject, confirm, withTime = false }) {
    const dialog = $('reason-dialog');
    const form = $('reason-form');
    const cancel = $('reason-cancel');
    const text = $('reason-text');
    const time = $('reason-time');
    const opener = document.activeElement;
    if (title !== undefined) $('reason-title').textContent = title;
    if (confirm !== undefined) $('reason-confirm').textContent = confirm;
    $('reason-subject').textContent = subject;
    text.value = '';
    if (time) {
      time.value = '';
      $('reason-time-row').hidden = !withTime;
    }
    return new Promise((resolve) => {
      const finish = (answer) => {
        form.removeEventListener('submit', onSubmit);
        cancel.removeEventListener('click', onCancel);
        dialog.removeEventListener('cancel', onCancel);
        dialog.close();
        if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
        resolve(answer);
      };
      const onSubmit = (event) => {
        event.preventDefault();
        const reason = text.value.trim();
        if (!reason) {
          text.focus();
          return;
        }
        // datetime-local is the user's local time; the API takes an instant.
        const local = withTime && time ? time.value : '';
        finish({ reason, at: local ? new Date(local).toISOString() : undefined });
      };
      const onCancel = (event) => {
        event.preventDefault();
        finish(null);
      };
      form.addEventListener('submit', onSubmit);
      cancel.addEventListener('click', onCancel);
      dialog.addEventListener('cancel', onCancel);
      dialog.showModal();
      text.focus();
    });
  }

  window.CertHub.askReason = askReason;
})();
