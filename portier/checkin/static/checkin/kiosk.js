// The kiosk's QR scanning: scanner.js (PortierScanner, with the vendored jsQR) reads the code
// from the camera, fills the code field and submits the form. Without a camera the kiosk
// works by typing the code.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-kiosk-scan]");
    var form = document.getElementById("kiosk-code-form");
    if (!box || !form || !window.PortierScanner || !window.jsQR) { return; }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
    var video = box.querySelector("[data-scan-video]");
    var hint = box.querySelector("[data-scan-hint]");
    var button = box.querySelector("[data-scan-start]");
    var input = form.querySelector("input[name=code]");
    var submit = form.querySelector("button[name=action]");
    box.hidden = false;
    button.addEventListener("click", function () {
      button.hidden = true;
      hint.hidden = false;
      window.PortierScanner.start(
        video,
        function (text) {
          input.value = text;
          if (form.requestSubmit) { form.requestSubmit(submit); } else { submit.click(); }
        },
        function () {
          hint.textContent = box.getAttribute("data-no-camera") || hint.textContent;
        }
      );
    });
  });
})();
