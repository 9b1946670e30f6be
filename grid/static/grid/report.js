// The report page: the location from the browser, previews of the photos, and a
// report sent in two steps (the words first, then the photos) so that a failed
// upload never loses what was typed: the page then offers to send the photos again.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var submit = document.getElementById("report-submit");
  var photos = document.getElementById("id_photos");
  var locate = document.getElementById("locate");
  var status = document.getElementById("location-status");
  var banner = document.getElementById("report-errors");
  var label = submit.textContent;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  locate.addEventListener("click", function () {
    if (!navigator.geolocation) { status.textContent = locate.dataset.unsupported; return; }
    status.textContent = locate.dataset.locating;
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = position.coords.latitude.toFixed(6), lng = position.coords.longitude.toFixed(6);
      document.getElementById("id_latitude").value = lat;
      document.getElementById("id_longitude").value = lng;
      status.textContent = format(locate.dataset.found,
        {lat: lat, lng: lng, accuracy: Math.round(position.coords.accuracy || 0)});
      status.classList.remove("text-muted");
      status.classList.add("text-success");
      locate.textContent = locate.dataset.again;
    }, function () {
      status.textContent = locate.dataset.failed;
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  });

  function clearErrors() {
    banner.classList.add("d-none");
    banner.textContent = "";
    form.querySelectorAll("[data-error-for]").forEach(function (node) { node.textContent = ""; });
    form.querySelectorAll(".is-invalid").forEach(function (node) { node.classList.remove("is-invalid"); });
  }

  function showErrors(errors) {
    Object.keys(errors).forEach(function (field) {
      var text = errors[field].join(" ");
      var slot = form.querySelector('[data-error-for="' + field + '"]');
      var input = form.querySelector('[name="' + field + '"]');
      if (input && input.type !== "radio") { input.classList.add("is-invalid"); }
      if (slot) { slot.textContent = text; } else { banner.textContent += text + " "; banner.classList.remove("d-none"); }
    });
    var first = form.querySelector(".invalid-feedback:not(:empty)") || banner;
    first.scrollIntoView({block: "center"});
  }

  function busy(text) { submit.disabled = true; submit.textContent = text; }
  function idle() { submit.disabled = false; submit.textContent = label; }

  function send(url, body, header) {
    return fetch(url, {method: "POST", body: body, credentials: "same-origin",
                       headers: {"X-Grid-Report": header, "X-CSRFToken": form.elements.csrfmiddlewaretoken.value}});
  }

  form.addEventListener("submit", function (event) {
    if (!window.fetch || !window.FormData) { return; }  // the plain form does both in one go
    event.preventDefault();
    clearErrors();
    busy(form.dataset.sending);
    var words = new FormData(form);
    words.delete("photos");
    send(form.action, words, "text").then(function (response) {
      return response.json().then(function (answer) { return {ok: response.ok, answer: answer}; });
    }).then(function (result) {
      if (!result.ok) { idle(); showErrors(result.answer.errors || {}); return; }
      var report = result.answer;
      if (!photos.files.length) { window.location.assign(report.detail_url); return; }
      busy(form.dataset.sendingPhotos);
      var pictures = new FormData();
      Array.prototype.forEach.call(photos.files, function (file) { pictures.append("photos", file); });
      send(report.photos_url, pictures, "photos").then(function (response) {
        // Refused photos: the server keeps the reason for the next page.
        window.location.assign(response.ok ? report.detail_url : report.photos_url);
      }, function () {
        window.location.assign(report.photos_url + "?failed=network");
      });
    }, function () {
      idle();
      banner.textContent = form.dataset.networkError;
      banner.classList.remove("d-none");
    });
  });
}());
