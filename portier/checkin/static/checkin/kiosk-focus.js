// The kiosk for screen readers and keyboards: every step is a new page, so put the focus where
// the guest goes on and tie each error message to its field. Results and errors are read out
// from their live regions (role="status" / role="alert" in the templates). A step that goes back
// to the start by itself (<body data-back-after="seconds" data-back-to="url">) waits again
// whenever the guest touches the screen or presses a key: nobody is hurried while still busy.
(function () {
  "use strict";

  function backToStart(body) {
    var seconds = parseInt(body.getAttribute("data-back-after"), 10);
    var target = body.getAttribute("data-back-to");
    if (!seconds || !target) { return; }
    var timer = null;
    function wait() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { window.location.assign(target); }, seconds * 1000);
    }
    ["pointerdown", "keydown", "input"].forEach(function (name) {
      document.addEventListener(name, wait, true);
    });
    wait();
  }

  document.addEventListener("DOMContentLoaded", function () {
    backToStart(document.body);
    var errors = Array.prototype.slice.call(document.querySelectorAll(".kiosk-error[id]"));
    var code = document.querySelector("#kiosk-code-form input[name=code]");
    if (code && errors.length) {
      code.setAttribute("aria-describedby", errors.map(function (e) { return e.id; }).join(" "));
      code.setAttribute("aria-invalid", "true");
      code.focus();
      return;
    }
    var invalid = document.querySelector("main [aria-invalid=true]");
    if (invalid) { invalid.focus(); return; }
    var heading = document.querySelector("main h1");
    if (heading && !code) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });
})();
