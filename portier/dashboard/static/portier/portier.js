// Portier's few behaviours, without inline script (the Content-Security-Policy forbids it).
"use strict";

// <form data-confirm="Question?">: ask before submitting.
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// <iframe data-fit-content srcdoc=...>: an e-mail shown in a sandboxed frame (no scripts; same
// origin only so that this can read its height) grows to its content, QR code included.
function fitFrame(frame) {
  var doc = frame.contentDocument;
  if (!doc || !doc.documentElement || doc.readyState !== "complete") { return; }
  frame.style.minHeight = "0";
  frame.style.height = "0";
  frame.style.height = doc.documentElement.scrollHeight + 2 + "px";
  frame.dataset.fitted = "yes";
}

function fitFrames() {
  document.querySelectorAll("iframe[data-fit-content]").forEach(fitFrame);
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("iframe[data-fit-content]").forEach(function (frame) {
    frame.addEventListener("load", function () { fitFrame(frame); });
    fitFrame(frame);
  });
  var resized;
  window.addEventListener("resize", function () {
    window.clearTimeout(resized);
    resized = window.setTimeout(fitFrames, 150);
  });
});
