// Autosave of the assessment draft (assessment/templates/assessment/point.html): nothing typed is
// lost when the professional leaves the tab, closes the page or is warned of the idle timeout.
// The draft's form is posted to its autosave address (assessment.views.autosave), which saves the
// draft exactly as "Save draft" does and never completes anything, a short while after typing
// stops, at once when the tab is hidden or the page left, and when the idle warning shows
// (accounts/static/accounts/idle.js sends "heimveg:idle-warning"). Only a changed form is posted,
// so an untouched page does not keep the session alive. The quiet status line under the buttons
// (a polite live region) says when the draft was saved. A file, not an inline script, so a strict
// Content-Security-Policy allows it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("hv-draft-status");
  var DELAY = 2000;
  var changes = 0;      // changes made since the page loaded
  var saved = 0;        // of which the server has those up to here
  var sending = false;
  var timer = null;

  function say(text) {
    if (status && text) { status.textContent = text; }
  }

  function draft() {
    var data = new FormData(form);
    data.delete("step");  // an autosave never completes; the server ignores it anyway
    return data;
  }

  function save(leaving) {
    window.clearTimeout(timer);
    if (changes === saved) { return; }
    if (sending && !leaving) { timer = window.setTimeout(save, DELAY); return; }
    var upTo = changes;
    sending = true;
    fetch(url, {
      method: "POST",
      body: draft(),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      keepalive: !!leaving,
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.redirected || response.status === 401 || response.status === 403 || !json) {
        say(status && status.getAttribute(response.redirected || response.status === 401
          ? "data-signed-out" : "data-failed"));
        return null;
      }
      return response.json();
    }).then(function (answer) {
      if (!answer) { return; }
      if (answer.saved) { saved = Math.max(saved, upTo); }
      say(answer.status);
    }).catch(function () {
      say(status && status.getAttribute("data-failed"));
    }).then(function () {
      sending = false;
      if (changes !== saved && !leaving) { timer = window.setTimeout(save, DELAY); }
    });
  }

  function changed(event) {
    // Fields of the follow-up actions belong to this form too (the HTML form attribute), but are
    // not part of the draft: they stand outside it and their events do not reach it.
    if (!form.contains(event.target)) { return; }
    changes += 1;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // "Save draft" and "Complete" post the form themselves.
  form.addEventListener("submit", function () { window.clearTimeout(timer); saved = changes; });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(true); }
  });
  window.addEventListener("pagehide", function () { save(true); });
  document.addEventListener("heimveg:idle-warning", function () { save(false); });
  // Enter in a follow-up field adds the action, as it would in a form of its own (without this,
  // it would press the draft form's first button).
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || !target || target.form !== form || form.contains(target)) { return; }
    if (target.tagName !== "INPUT") { return; }
    var button = document.getElementById("add-follow-up");
    if (button && button.closest("#follow-up-section") && button.closest("#follow-up-section").contains(target)) {
      event.preventDefault();
      button.click();
    }
  });
})();
