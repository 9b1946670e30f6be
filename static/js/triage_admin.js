// The triage model list in the admin: while a training is queued or running, its
// progress is polled every two seconds; when none is left running, the list reloads.
(function () {
  "use strict";
  var box = document.getElementById("triage-progress");
  if (!box || !document.querySelector("[data-training]")) { return; }
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin" }).then(function (response) {
      return response.json();
    }).then(function (data) {
      if (!data.running.length) { window.location.reload(); return; }
      data.running.forEach(function (row) {
        var cell = document.querySelector('[data-training="' + row.id + '"]');
        if (cell) { cell.textContent = row.progress + "%"; }
      });
      window.setTimeout(poll, 2000);
    }).catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
