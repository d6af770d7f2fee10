// The invitation form: add and remove guest rows (a Django formset), fill a picked contact's
// name, keep the duration when the start moves. Without script the page still works: one empty
// row to type into, "Remove" checkboxes, and the browser's own type-ahead on the address.
"use strict";

(function () {
  var fieldset = document.getElementById("guests");
  if (!fieldset) {
    return;
  }
  var rows = document.getElementById("guest-rows");
  var template = document.getElementById("guest-row-template");
  var total = fieldset.querySelector("input[name$='-TOTAL_FORMS']");
  var addButton = document.getElementById("add-guest");
  var max = parseInt(fieldset.dataset.max, 10) || 50;

  function visibleRows() {
    return rows.querySelectorAll("[data-guest-row]:not([hidden])").length;
  }

  function refresh() {
    addButton.disabled = visibleRows() >= max;
  }

  function enhance(row) {
    var check = row.querySelector("input[name$='-DELETE']");
    row.querySelector(".remove-check").hidden = true;
    row.querySelector(".remove-guest").hidden = false;
    if (check && check.checked) {
      row.hidden = true; // removed before the page came back with an error
    }
  }

  function addRow() {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    enhance(row);
    refresh();
    row.querySelector("input").focus();
  }

  function removeRow(row) {
    var check = row.querySelector("input[name$='-DELETE']");
    check.checked = true; // the formset skips it; its fields need not be valid
    row.hidden = true;
    refresh();
    addButton.focus();
  }

  function contactName(email) {
    var list = document.getElementById(fieldset.querySelector("input[list]").getAttribute("list"));
    var wanted = email.trim().toLowerCase();
    var options = list ? list.options : [];
    for (var i = 0; i < options.length; i++) {
      if (options[i].value.toLowerCase() === wanted) {
        return options[i].dataset.name || "";
      }
    }
    return "";
  }

  function fillName(input) {
    var row = input.closest("[data-guest-row]");
    var first = row.querySelector("input[name$='-first_name']");
    var last = row.querySelector("input[name$='-last_name']");
    var name = contactName(input.value);
    if (!name || first.value || last.value) {
      return;
    }
    var space = name.indexOf(" ");
    first.value = space === -1 ? name : name.slice(0, space);
    last.value = space === -1 ? "" : name.slice(space + 1);
  }

  rows.querySelectorAll("[data-guest-row]").forEach(enhance);
  addButton.hidden = false;
  addButton.addEventListener("click", addRow);
  rows.addEventListener("click", function (event) {
    var button = event.target.closest(".remove-guest");
    if (button) {
      removeRow(button.closest("[data-guest-row]"));
    }
  });
  rows.addEventListener("input", function (event) {
    if (event.target.matches("input[type=email]")) {
      fillName(event.target);
    }
  });
  refresh();
})();

(function () {
  // Moving the start moves the end with it: the appointment keeps its length.
  var start = document.getElementById("id_starts_at");
  var end = document.getElementById("id_ends_at");
  if (!start || !end) {
    return;
  }
  function parse(value) {
    var time = value ? new Date(value).getTime() : NaN;
    return isNaN(time) ? null : time;
  }
  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function format(time) {
    var d = new Date(time);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) +
      "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  var previous = start.value;
  start.addEventListener("change", function () {
    var before = parse(previous), now = parse(start.value), until = parse(end.value);
    if (before !== null && now !== null && until !== null) {
      end.value = format(until + (now - before));
    }
    previous = start.value;
  });
})();
