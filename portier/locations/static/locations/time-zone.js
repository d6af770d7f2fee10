// A new location: preselect the browser's time zone when the list has it (an old name such as
// Asia/Calcutta is mapped to today's, Asia/Kolkata). The server's default stays otherwise.
"use strict";

(function () {
  var select = document.getElementById("id_time_zone");
  var data = document.getElementById("time-zone-aliases");
  if (!select || !data || !window.Intl) {
    return;
  }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var aliases = JSON.parse(data.textContent);
  zone = aliases[zone] || zone;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) {
      select.value = zone;
      return;
    }
  }
})();
