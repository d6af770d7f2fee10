// Sandbox event form: the "Add it" button puts the invitation address among the guests.
"use strict";

document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("#add-invite-address");
  if (!button) {
    return;
  }
  var box = document.getElementById("id_attendees");
  var address = button.dataset.address;
  if (box.value.toLowerCase().indexOf(address.toLowerCase()) === -1) {
    box.value = (box.value.trim() ? box.value.trim() + "\n" : "") + address;
  }
});

// "Number of dates" belongs to a repeating event: shown only while "Repeat weekly" is ticked.
// (Without script it always shows; the form ignores it for a single event.)
(function () {
  var weekly = document.getElementById("id_weekly");
  var weeks = document.querySelector("[data-field='weeks']");
  if (!weekly || !weeks) {
    return;
  }
  function sync() {
    weeks.hidden = !weekly.checked;
    weeks.style.display = weekly.checked ? "" : "none"; // .field's display:flex beats [hidden]
  }
  weekly.addEventListener("change", sync);
  sync();
})();
