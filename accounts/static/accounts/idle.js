// The idle-timeout warning (accounts/templates/accounts/idle_warning.html). The server signs a
// staff user out after a while without requests (accounts.middleware.IdleTimeoutMiddleware);
// this shows a warning a few minutes before and lets the user stay signed in. Before warning it
// asks the server how long is left (a GET that is not activity), as another tab may have been in
// use. When it warns, it tells the page ("heimveg:idle-warning"), so that a page with a draft
// saves it. A file, not an inline script, so a strict Content-Security-Policy allows it.
(function () {
  "use strict";
  var form = document.getElementById("hv-idle");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("action");
  var warning = parseInt(form.getAttribute("data-warning"), 10) * 1000;
  var timeout = parseInt(form.getAttribute("data-timeout"), 10) * 1000;
  var signedOutUrl = form.getAttribute("data-signed-out-url");
  var timer = null;

  function schedule(remainingMs) {
    window.clearTimeout(timer);
    if (remainingMs > warning) {
      timer = window.setTimeout(check, remainingMs - warning);
    } else {
      show();
      timer = window.setTimeout(check, Math.max(remainingMs, 0) + 1000);
    }
  }

  function check() {
    fetch(url, { headers: { "X-Heimveg-Idle-Check": "1" }, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 401) {
          window.location.assign(signedOutUrl);
          return null;
        }
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) { return; }
        if (data.remaining <= 0) {
          window.location.reload();  // the server signs out and shows the sign-in page
        } else {
          if (data.remaining * 1000 > warning) { hide(); }
          schedule(data.remaining * 1000);
        }
      })
      .catch(function () { timer = window.setTimeout(check, 30000); });
  }

  function show() {
    if (!form.hidden) { return; }
    // A page with unsaved work saves it now (assessment/static/assessment/draft.js), while the
    // session still lasts: nothing typed is lost when the user is signed out.
    document.dispatchEvent(new CustomEvent("heimveg:idle-warning"));
    form.hidden = false;
    var heading = document.getElementById("hv-idle-heading");
    if (heading) { heading.focus(); }
  }

  function hide() { form.hidden = true; }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 401) {
          window.location.assign(signedOutUrl);
          return;
        }
        hide();
        schedule(timeout);
      });
  });

  schedule(timeout);
})();
