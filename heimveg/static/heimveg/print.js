// Print buttons: <button type="button" data-print>. A file, not an inline script, so a strict
// Content-Security-Policy (script-src 'self') allows it.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
