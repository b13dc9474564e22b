/* The import dry run's map: the file's rows coloured by what the import would do, over the
   zone's plots as they are and its offline base map. Codes from the file are set as text. */
(function () {
  "use strict";
  var el = document.getElementById("preview-map");
  var dataEl = document.getElementById("preview-data");
  if (!el || !dataEl || !window.L) return;
  var data = JSON.parse(dataEl.textContent);
  function text(value) {  // Leaflet inserts a string tooltip as HTML; a node it shows as is
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span;
  }
  var ACTION = {create: "#1a9850", update: "#3f6fb5", refuse: "#a40000"};
  var map = L.map(el, {zoomSnap: 0.5, attributionControl: false});
  L.geoJSON(data.base, {
    style: function () { return {color: "#888", weight: 1, fill: false, dashArray: "4 3"}; },
    pointToLayer: function (f, latlng) { return L.circleMarker(latlng, {radius: 3, color: "#888"}); }
  }).addTo(map);
  L.geoJSON(data.plots, {
    style: function () { return {color: "#777", weight: 1, fillColor: "#ccc", fillOpacity: 0.4}; },
    onEachFeature: function (f, layer) { layer.bindTooltip(text(f.properties.code)); }
  }).addTo(map);
  var rows = L.geoJSON(data.rows, {
    style: function (f) {
      return {className: "row row-" + f.properties.action, weight: f.properties.warn ? 4 : 2,
              color: f.properties.warn ? "#e08e0b" : ACTION[f.properties.action] || "#333",
              fillColor: ACTION[f.properties.action] || "#333", fillOpacity: 0.45};
    },
    pointToLayer: function (f, latlng) {
      return L.circleMarker(latlng, {radius: 6});
    },
    onEachFeature: function (f, layer) {
      layer.bindTooltip(text([f.properties.code, f.properties.label].filter(Boolean).join(" · ")));
    }
  }).addTo(map);
  // The zone and the rows it would take; refused rows far away are in the table, not the view.
  var bounds = L.geoJSON(data.base, {
    filter: function (f) { return f.properties.kind === "zone"; }}).getBounds();
  rows.eachLayer(function (layer) {
    if (layer.feature.properties.action !== "refuse") bounds.extend(layer.getBounds());
  });
  if (!bounds.isValid()) bounds = rows.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds.pad(0.15)); else map.setView([48, 67], 4);
})();
