// Previews of chosen photos: every file input with data-preview="<id>" shows its
// pictures in that element, and its button says how many are chosen.
(function () {
  "use strict";
  document.querySelectorAll("input[type=file][data-preview]").forEach(function (input) {
    var preview = document.getElementById(input.dataset.preview);
    var button = document.querySelector('label[for="' + input.id + '"]');
    var label = button ? button.textContent : "";
    input.addEventListener("change", function () {
      preview.textContent = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var figure = document.createElement("figure");
        var image = document.createElement("img");
        image.alt = file.name;
        image.src = URL.createObjectURL(file);
        var caption = document.createElement("figcaption");
        caption.textContent = file.name;
        figure.appendChild(image);
        figure.appendChild(caption);
        preview.appendChild(figure);
      });
      if (button && input.dataset.chosen) {
        button.textContent = input.files.length ? input.dataset.chosen.replace("%(count)s", input.files.length) : label;
      }
    });
  });
}());
