// The header's menu button (base.html): on a narrow screen the organisation switch, the language,
// sign-out and the main menu fold behind it. A file, not an inline script, for the
// Content-Security-Policy. Escape closes the open menu and puts focus back on the button.
(function () {
  var button = document.querySelector(".hv-menu-button");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) {
    return;
  }
  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("hv-menu-open", open);
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
