// Uploads a CSV import or a call recording to the API with a progress bar. The session
// cookie authenticates the request and the page's CSRF token goes in a header.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form.upload").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const file = form.querySelector("input[type=file]").files[0];
      const bar = form.querySelector("progress");
      const status = form.querySelector("output");
      if (!file) { status.textContent = "Choose a file first."; return; }
      const params = new URLSearchParams();
      form.querySelectorAll("[data-param]").forEach((field) => {
        if (field.value) params.set(field.dataset.param, field.value);
      });
      if (form.dataset.fileParam) params.set(form.dataset.fileParam, file.name);
      let target = form.dataset.target;
      form.querySelectorAll("[data-path]").forEach((field) => {
        target = target.replace("{" + field.dataset.path + "}", encodeURIComponent(field.value));
      });
      const request = new XMLHttpRequest();
      request.open("POST", target + (params.toString() ? "?" + params : ""));
      request.setRequestHeader("X-CSRF-Token", form.querySelector("input[name=csrf]").value);
      request.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; }
      });
      request.addEventListener("load", () => {
        let body = {};
        try { body = JSON.parse(request.responseText); } catch (_) { body = {}; }
        if (request.status >= 200 && request.status < 300) {
          status.textContent = "Done: " + summary(body);
        } else {
          status.textContent = "Refused (" + request.status + "): " + (body.message || request.statusText);
        }
      });
      request.addEventListener("error", () => { status.textContent = "The upload failed; check the connection."; });
      status.textContent = "Uploading " + file.name + "…";
      request.send(file);
    });
  });
  function summary(body) {
    if (body.call) return "call " + body.call.id + " added (" + body.call.status + ")";
    if (body.rows !== undefined) return JSON.stringify(body.rows);
    return Object.entries(body).filter(([, v]) => typeof v !== "object").map(([k, v]) => k + " " + v).join(", ");
  }
});
