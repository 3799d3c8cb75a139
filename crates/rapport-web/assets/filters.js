// Filter forms submit as soon as a choice changes, so the URL (and a shared link) always
// shows the view; typing in a text box still waits for Enter.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form.filters select, form.filters input[type=date]").forEach((field) => {
    field.addEventListener("change", () => field.form.requestSubmit());
  });
});
