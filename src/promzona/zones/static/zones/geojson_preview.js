// Draws the GeoJSON typed in each .geojson-input on the map below it, redrawing as it changes.
(function () {
  function setup(box) {
    var input = document.getElementById(box.dataset.for);
    if (!input || typeof L === "undefined") return;
    // Opens on the zones' extent (the whole country without zones) until a shape is drawn.
    var map = L.map(box, { attributionControl: false }).fitBounds(JSON.parse(box.dataset.extent));
    var layer = null;
    function draw() {
      if (layer) { map.removeLayer(layer); layer = null; }
      try {
        var data = JSON.parse(input.value);
        layer = L.geoJSON(data, { style: { color: "#c0392b", weight: 2 } }).addTo(map);
        var b = layer.getBounds();
        if (b.isValid()) map.fitBounds(b, { maxZoom: 17 });
        box.classList.remove("invalid");
      } catch (e) {
        box.classList.add("invalid");
      }
    }
    input.addEventListener("input", draw);
    draw();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".geojson-preview").forEach(setup);
  });
})();
