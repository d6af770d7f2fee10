// Portier's few behaviours, without inline script (the Content-Security-Policy forbids it).
"use strict";

// <form data-confirm="Question?">: ask before submitting.
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
