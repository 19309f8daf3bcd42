// Show the follow-up questions ("Do you want help with this?") only when the question they
// depend on is answered "yes". Without JavaScript every question is shown, and the server drops
// answers to questions that do not apply.
(function () {
  "use strict";
  document.querySelectorAll("[data-enable-when]").forEach(function (block) {
    var name = block.getAttribute("data-enable-when");
    var inputs = document.querySelectorAll('input[name="' + name + '"]');
    function update() {
      var yes = document.querySelector('input[name="' + name + '"][value="yes"]');
      block.hidden = !(yes && yes.checked);
    }
    inputs.forEach(function (input) { input.addEventListener("change", update); });
    update();
  });
})();
