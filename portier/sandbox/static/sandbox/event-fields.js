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
