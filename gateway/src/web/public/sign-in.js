// The sign-in the Clerk, Region admin, Bank and Consent pages share. Their markup is the same: #signin with
// #signin-form and its #token field, and #account with #whoami and #signout. A token is kept for the tab only once
// GET /v1/me accepts it, and the pages share it: signing in on one signs in on all of them in this tab.
'use strict';

(() => {
  const { api, el, say, sayProblem, token, setToken, $ } = window.CertHub;

  /** Who is signed in, for the account section: name, role, organisation, and region and issuer where they have one. */
  function whoami(me) {
    return [
      el('strong', {}, me.name),
      ` · ${me.role} · ${me.org}` + (me.region ? ` · 地区 region ${me.region}` : ''),
      me.issuer ? el('span', {}, ` · 签发机构 issuer ${me.issuer.name} (${me.issuer.code})`) : null,
    ].filter(Boolean);
  }

  /**
   * Wires the page's sign-in and account sections and signs in at once with the tab's token, if there is one.
   * `message` is the page's alert region. `onSignedIn(me)`, if given, starts the page for the user GET /v1/me describes
   * (the sign-in form is hidden and the message cleared by then); `onSignedOut()`, if given, hides the page's own
   * sections and forgets what it showed, whenever nobody is signed in (at start, after a refused token, after signing
   * out).
   */
  function startSignIn({ message, onSignedIn = () => {}, onSignedOut = () => {} }) {
    function signedOut() {
      $('signin').hidden = false;
      $('account').hidden = true;
      onSignedOut();
    }

    async function signIn(candidate) {
      let me;
      try {
        me = await api('/v1/me', { token: candidate });
      } catch (error) {
        setToken('');
        signedOut();
        sayProblem(message, error, '登录失败 (sign-in failed) ');
        return;
      }
      setToken(candidate);
      // The token is kept in this tab's storage; it need not stay in the (now hidden) form too.
      $('token').value = '';
      $('whoami').replaceChildren(...whoami(me));
      $('signin').hidden = true;
      $('account').hidden = false;
      say(message, '');
      await onSignedIn(me);
    }

    $('signin-form').addEventListener('submit', (event) => {
      event.preventDefault();
      signIn($('token').value.trim());
    });
    $('signout').addEventListener('click', () => {
      setToken('');
      say(message, '');
      signedOut();
    });

    if (token()) signIn(token());
    else signedOut();
  }

  window.CertHub.startSignIn = startSignIn;
})();
