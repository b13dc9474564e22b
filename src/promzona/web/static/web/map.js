/* The portal's map: plots coloured by status over an offline vector base, kept in step with the
   list beside it; filters refresh the list from the server and the map follows the list.
   Text from data (codes, names, labels) is only ever set as text, never parsed as HTML. */
(function () {
  "use strict";
  var TILE_URL = (document.currentScript && document.currentScript.dataset.tileUrl) || "";
  var el = document.getElementById("map");
  var dataEl = document.getElementById("map-data");
  if (!el || !dataEl || !window.L) return;
  function text(value) {  // Leaflet inserts a string tooltip as HTML; a node it shows as is
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span;
  }
  var data = JSON.parse(dataEl.textContent);
  var COLORS = {published: "#1a9850", reserved: "#f0a500", allocated: "#3f6fb5",
                occupied: "#6b6b6b", draft: "#b9b9b9", withdrawn: "#a40000"};
  var BASE = {zone: {color: "#0b5cad", weight: 2, dashArray: "6 4", fill: false},
              town: {color: "#b08d57", weight: 1, fillColor: "#e8dcc4", fillOpacity: 0.6},
              shoreline: {color: "#3a8dde", weight: 3},
              road: {color: "#c0392b", weight: 2},
              rail: {color: "#222", weight: 3, dashArray: "8 4"},
              airport: {color: "#555", weight: 1, fillColor: "#ccc", fillOpacity: 0.7}};
  var map = L.map(el, {zoomSnap: 0.5, attributionControl: !!TILE_URL});
  if (TILE_URL) {
    L.tileLayer(TILE_URL, {maxZoom: 19,
      attribution: "&copy; OpenStreetMap contributors"}).addTo(map);
  }
  L.geoJSON(data.base, {
    style: function (f) {
      return L.extend({className: "base base-" + f.properties.kind},
                      BASE[f.properties.kind] || {color: "#888", weight: 1});
    },
    pointToLayer: function (f, latlng) {
      return L.circleMarker(latlng, {radius: 4, color: "#333", fillOpacity: 1});
    },
    onEachFeature: function (f, layer) { if (f.properties.name) layer.bindTooltip(text(f.properties.name)); }
  }).addTo(map);

  var KIND = {power: "#d4a000", water: "#1f78b4", sewage: "#8c564b", heat: "#e31a1c",
              gas: "#6a3d9a"};
  if (data.lines) {
    L.geoJSON(data.lines, {
      style: function (f) {
        return {className: "line line-" + f.properties.kind,
                color: KIND[f.properties.kind] || "#555", weight: 2,
                dashArray: f.properties.status === "existing" ? null : "4 4"};
      },
      onEachFeature: function (f, layer) { layer.bindTooltip(text(f.properties.label)); }
    }).addTo(map);
  }
  var byId = {};
  function style(f, hi) {
    return {className: "plot plot-" + f.id, color: hi ? "#000" : "#333", weight: hi ? 3 : 1,
            fillColor: COLORS[f.properties.status] || "#888", fillOpacity: hi ? 0.9 : 0.65};
  }
  var plots = L.geoJSON(data.plots, {
    style: function (f) { return style(f, false); },
    onEachFeature: function (f, layer) {
      byId[f.id] = layer;
      layer.bindTooltip(text([f.properties.code, f.properties.name, f.properties.status_label]
                             .filter(Boolean).join(" · ")));
      if (f.properties.url) {
        layer.on("click", function () {  // only a path on this site, never a javascript: URL
          if (/^\/(?!\/)/.test(f.properties.url)) window.location.href = f.properties.url;
        });
      }
      layer.on("mouseover", function () { highlight(f.id, true); });
      layer.on("mouseout", function () { highlight(f.id, false); });
    }
  }).addTo(map);
  var bounds = plots.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds.pad(data.plots.features.length === 1 ? 1 : 0.15)); else map.setView([46.85, 75], 11);

  var list = document.getElementById("plot-list");
  function item(id) {
    return list && list.querySelector('.plot-item[data-id="' + CSS.escape(String(id)) + '"]');
  }
  function highlight(id, on) {
    var layer = byId[id];
    if (layer) { layer.setStyle(style(layer.feature, on)); if (on) layer.bringToFront(); }
    var li = item(id);
    if (li) li.classList.toggle("hi", on);
  }
  function syncFromList() {
    if (!list) return;
    var shown = {};
    list.querySelectorAll(".plot-item").forEach(function (li) { shown[li.dataset.id] = true; });
    Object.keys(byId).forEach(function (id) {
      if (shown[id]) { if (!map.hasLayer(byId[id])) plots.addLayer(byId[id]); }
      else if (map.hasLayer(byId[id])) plots.removeLayer(byId[id]);
    });
  }
  if (list) {
    ["mouseover", "focusin"].forEach(function (ev) {
      list.addEventListener(ev, function (e) {
        var li = e.target.closest(".plot-item"); if (li) highlight(li.dataset.id, true);
      });
    });
    ["mouseout", "focusout"].forEach(function (ev) {
      list.addEventListener(ev, function (e) {
        var li = e.target.closest(".plot-item"); if (li) highlight(li.dataset.id, false);
      });
    });
    list.addEventListener("click", function (e) {
      var li = e.target.closest(".plot-item");
      if (!li || e.target.closest("a, input") || !byId[li.dataset.id]) return;
      map.flyToBounds(byId[li.dataset.id].getBounds().pad(0.5), {duration: 0.4});
    });
    syncFromList();
  }
  var form = document.getElementById("filters");
  var details = form && form.querySelector("details");
  if (details && window.matchMedia("(max-width: 760px)").matches && !location.search) {
    details.open = false;  // on a phone the map and list come first
  }
  if (form && list) {
    var pending = null;
    function refresh(e) {
      if (e) e.preventDefault();
      var params = new URLSearchParams(new FormData(form));
      Array.from(params.keys()).forEach(function (k) { if (params.get(k) === "") params.delete(k); });
      var query = params.toString();
      params.set("partial", "list");
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(form.action + "?" + params.toString(), {signal: pending.signal})
        .then(function (r) { return r.text().then(function (t) { return {ok: r.ok, text: t}; }); })
        .then(function (r) {
          var err = form.querySelector(".error");
          if (!r.ok) {
            if (!err) { err = document.createElement("p"); err.className = "error";
                        err.setAttribute("role", "alert"); form.appendChild(err); }
            var doc = new DOMParser().parseFromString(r.text, "text/html");
            var msg = doc.querySelector(".error");
            err.textContent = msg ? msg.textContent : r.text;
            return;
          }
          if (err) err.remove();
          list.innerHTML = r.text;  // trusted: this site's own autoescaped _plot_list.html
          syncFromList();
          history.replaceState(null, "", query ? "?" + query : form.action);
        })
        .catch(function (e) { if (e.name !== "AbortError") throw e; });
    }
    form.addEventListener("submit", refresh);
    form.addEventListener("change", refresh);
  }
})();
