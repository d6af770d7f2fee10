// QR scanning with the device's camera and the vendored jsQR (static/checkin/vendor).
//
// PortierScanner.start(video, onCode, onError) plays the camera in `video`, decodes frames
// and calls onCode(text) once; it returns a stop() function. The front desk wires it up to
// any element with data-qr-scanner (data-form: the code form's id, data-input: the code
// input's id); each [data-scan] button names the submit button to press with the scanned code.
(function () {
  "use strict";

  function start(video, onCode, onError) {
    var stream = null;
    var stopped = false;
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });

    function stop() {
      stopped = true;
      if (stream) {
        stream.getTracks().forEach(function (track) { track.stop(); });
      }
      video.srcObject = null;
      video.hidden = true;
    }

    function tick() {
      if (stopped) { return; }
      if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var found = window.jsQR(image.data, image.width, image.height, {
          inversionAttempts: "attemptBoth",
        });
        if (found && found.data) {
          stop();
          onCode(found.data);
          return;
        }
      }
      window.requestAnimationFrame(tick);
    }

    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.jsQR) {
      onError(new Error("no camera or scanner"));
      return stop;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        if (stopped) { stop(); return; }
        video.srcObject = s;
        video.hidden = false;
        return video.play().then(function () { window.requestAnimationFrame(tick); });
      })
      .catch(function (error) { stop(); onError(error); });
    return stop;
  }

  window.PortierScanner = { start: start };

  function wire(box) {
    var form = document.getElementById(box.dataset.form);
    var input = document.getElementById(box.dataset.input);
    var video = box.querySelector("video");
    var status = box.querySelector("[data-scan-status]");
    var failure = box.querySelector("[data-scan-error]");
    var stopButton = box.querySelector("[data-scan-stop]");
    var stop = null;
    if (!form || !input || !video) { return; }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
    box.hidden = false;

    function finish() {
      if (stop) { stop(); stop = null; }
      stopButton.hidden = true;
    }

    box.querySelectorAll("[data-scan]").forEach(function (button) {
      button.addEventListener("click", function () {
        var submit = document.getElementById(button.dataset.scan);
        finish();
        failure.hidden = true;
        status.textContent = button.textContent.trim() + " …";
        stopButton.hidden = false;
        stop = start(
          video,
          function (text) {
            stopButton.hidden = true;
            input.value = text;
            status.textContent = "";
            if (form.requestSubmit) { form.requestSubmit(submit); } else { submit.click(); }
          },
          function () {
            stopButton.hidden = true;
            status.textContent = "";
            failure.hidden = false;
          }
        );
      });
    });
    stopButton.addEventListener("click", function () {
      finish();
      status.textContent = "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-qr-scanner]").forEach(wire);
  });
})();
