// The type-ahead of directory/widgets.py: the browser's own <datalist> suggests; this only says,
// while typing, when the name typed belongs to several organisations (two "Herøy"), so the user
// picks the one with the right county before sending. The server checks the same on its own.
(function () {
  "use strict";
  if (window.heimvegTypeAhead) return;
  window.heimvegTypeAhead = true;

  function normalise(text) {
    return text.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function bareName(label) {
    return normalise(label.replace(/\s*\(.*$/, "").replace(/\s*–\s*\d+$/, ""));
  }

  function update(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var hint = document.getElementById(input.getAttribute("list") + "-hint");
    if (!list || !hint) return;
    var typed = normalise(input.value);
    var labels = Array.prototype.map.call(list.options, function (option) { return option.value; });
    var exact = labels.some(function (label) { return normalise(label) === typed; });
    var same = typed && !exact ? labels.filter(function (label) { return bareName(label) === typed; }) : [];
    var message = same.length > 1 ? input.getAttribute("data-ambiguous-message") + " " + same.join("; ") : "";
    if (hint.textContent !== message) hint.textContent = message;
  }

  function start() {
    document.querySelectorAll("input[data-type-ahead]").forEach(function (input) {
      input.addEventListener("input", function () { update(input); });
      input.addEventListener("change", function () { update(input); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
