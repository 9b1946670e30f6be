// The grid map: Leaflet (vendored) over the county's own tile server; one circle
// per event, red where a step is overdue. No tiles from the internet.
(function () {
  "use strict";
  var node = document.getElementById("grid-map");
  var data = JSON.parse(document.getElementById("grid-map-data").textContent);
  if (!node || !data || !data.tiles || !window.L) { return; }
  var map = L.map(node);
  L.tileLayer(data.tiles.url, {maxZoom: data.tiles.max_zoom, attribution: data.tiles.attribution}).addTo(map);
  var bounds = [];
  data.points.forEach(function (point) {
    var colour = point.overdue ? "#dc3545" : "#1f4e8c";
    var marker = L.circleMarker([point.lat, point.lng], {radius: 9, color: colour, fillColor: colour, fillOpacity: 0.7});
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.number + " " + point.type;
    popup.appendChild(link);
    popup.appendChild(document.createElement("br"));
    popup.appendChild(document.createTextNode(point.grid + " · " + point.status + (point.overdue ? " · " + node.dataset.overdue : "")));
    marker.bindPopup(popup).addTo(map);
    bounds.push([point.lat, point.lng]);
  });
  if (bounds.length) { map.fitBounds(bounds, {padding: [30, 30], maxZoom: 16}); } else { map.setView([30, 120], 10); }
}());
