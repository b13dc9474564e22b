/* The portal's maps (home page and passport): plots coloured by status over an offline vector
   base or a configured street or satellite layer, the zone outline, utility lines and sources by
   kind and status, a scale bar and a layer switcher. On the home page the map is kept in step
   with the list beside it; filters refresh the list from the server and the map follows it.
   Text from data (codes, names, labels) is only ever set as text, never parsed as HTML: Leaflet
   gets text nodes for tooltips and escaped strings for the few names it writes as markup. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  var dataEl = document.getElementById("map-data");
  if (!el || !dataEl || !window.L) return;
  var data = JSON.parse(dataEl.textContent);
  var words = data.labels || {};

  function text(value) {  // Leaflet inserts a string tooltip as HTML; a node it shows as is
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span;
  }
  var ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};
  function html(value) {  // for the layer names and credits Leaflet writes as markup
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }

  var COLORS = {published: "#1a9850", reserved: "#f0a500", allocated: "#3f6fb5",
                occupied: "#6b6b6b", draft: "#b9b9b9", withdrawn: "#a40000"};
  var KIND = {power: "#c99700", water: "#1f78b4", sewage: "#8c564b", heat: "#e31a1c", gas: "#6a3d9a"};
  var KINDS = ["power", "water", "sewage", "heat", "gas"];
  // Lines of one corridor lie metres apart: each kind is drawn a few pixels aside of the others.
  var OFFSET = {power: -10, water: -5, sewage: 0, heat: 5, gas: 10};
  var DASH = {existing: null, under_construction: "8 5", planned: "2 5"};
  var BASE = {town: {color: "#b08d57", weight: 1, fillColor: "#e8dcc4", fillOpacity: 0.6},
              shoreline: {color: "#3a8dde", weight: 3},
              road: {color: "#c0392b", weight: 2},
              rail: {color: "#222", weight: 3, dashArray: "8 4"},
              airport: {color: "#555", weight: 1, fillColor: "#ccc", fillOpacity: 0.7}};

  // A polyline drawn options.offset pixels to the side of its course (at every zoom).
  var OffsetLine = L.Polyline.extend({
    _project: function () {
      L.Polyline.prototype._project.call(this);
      var d = this.options.offset || 0;
      if (!d || !this._rings.length) return;
      var bounds = new L.Bounds();
      this._rings = this._rings.map(function (ring) {
        return ring.map(function (p, i) {
          var a = ring[Math.max(i - 1, 0)], b = ring[Math.min(i + 1, ring.length - 1)];
          var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
          var q = L.point(p.x - dy / len * d, p.y + dx / len * d);
          bounds.extend(q);
          return q;
        });
      });
      this._rawPxBounds = bounds;
      this._updateBounds();
    }
  });

  var map = L.map(el, {zoomSnap: 0.5, zoomControl: false, attributionControl: false});
  L.control.zoom({zoomInTitle: words.zoom_in, zoomOutTitle: words.zoom_out}).addTo(map);
  var Scale = L.Control.Scale.extend({  // metres and kilometres in the page's language
    _updateMetric: function (maxMeters) {
      var m = this._getRoundNum(maxMeters);
      var label = m < 1000 ? m + " " + (words.m || "m") : m / 1000 + " " + (words.km || "km");
      this._updateScale(this._mScale, html(label), m / maxMeters);
    }
  });
  new Scale({imperial: false}).addTo(map);
  var layers = L.control.layers(null, null, {collapsed: true}).addTo(map);
  var toggle = layers.getContainer().querySelector(".leaflet-control-layers-toggle");
  if (toggle) { toggle.title = words.layers || ""; toggle.setAttribute("aria-label", words.layers || ""); }

  // Base layers: our own vector scheme (works offline) and the configured tile servers.
  var scheme = L.geoJSON(data.base, {
    style: function (f) {
      return L.extend({className: "base base-" + f.properties.kind},
                      BASE[f.properties.kind] || {color: "#888", weight: 1});
    },
    pointToLayer: function (f, latlng) {
      return L.circleMarker(latlng, {radius: 4, color: "#333", fillOpacity: 1});
    },
    onEachFeature: function (f, layer) { if (f.properties.name) layer.bindTooltip(text(f.properties.name)); }
  }).addTo(map);
  layers.addBaseLayer(scheme, html(words.scheme));
  (data.tiles || []).forEach(function (t) {
    var tiles = L.tileLayer(t.url, {maxZoom: 19, attribution: t.attribution ? html(t.attribution) : ""});
    layers.addBaseLayer(tiles, html(t.name));
  });
  if ((data.tiles || []).length) L.control.attribution({prefix: false}).addTo(map);

  var outline = L.geoJSON(data.zones, {
    style: {className: "zone-outline", color: "#0b5cad", weight: 2, dashArray: "6 4", fill: false,
            interactive: false}
  }).addTo(map);
  layers.addOverlay(outline, html(words.zone));

  // Utilities, one overlay per kind: its lines (dashed when under construction, dotted when
  // planned) and its sources (hollow when planned, ringed in red when fully committed).
  map.createPane("utilities").style.zIndex = 450;  // above the plots, below tooltips
  var onTop = L.svg({pane: "utilities"});
  var byKind = {};
  function kindLayer(kind) {
    if (!byKind[kind]) byKind[kind] = L.layerGroup();
    return byKind[kind];
  }
  ((data.lines || {}).features || []).forEach(function (f) {
    var g = f.geometry, p = f.properties;
    if (!g || (g.type !== "LineString" && g.type !== "MultiLineString")) return;
    var latlngs = L.GeoJSON.coordsToLatLngs(g.coordinates, g.type === "LineString" ? 0 : 1);
    var line = new OffsetLine(latlngs, {
      className: "line line-" + p.kind + " line-" + p.status, color: KIND[p.kind] || "#555",
      weight: 3, opacity: 0.95, dashArray: DASH[p.status] || null, offset: OFFSET[p.kind] || 0,
      pane: "utilities", renderer: onTop});
    line.bindTooltip(text(p.label), {sticky: true});
    kindLayer(p.kind).addLayer(line);
  });
  ((data.sources || {}).features || []).forEach(function (f) {
    var g = f.geometry, p = f.properties;
    if (!g || g.type !== "Point") return;
    var planned = p.state === "planned";
    var marker = L.circleMarker([g.coordinates[1], g.coordinates[0]], {
      className: "source source-" + p.kind + " source-" + p.state, radius: 8,
      color: p.state === "full" ? "#b3261e" : "#1d2733", weight: p.state === "full" ? 3 : 1.5,
      dashArray: planned ? "3 3" : null, fillColor: KIND[p.kind] || "#555",
      fillOpacity: planned ? 0.15 : 0.9, pane: "utilities", renderer: onTop});
    marker.bindTooltip(text(p.label));
    kindLayer(p.kind).addLayer(marker);
  });
  KINDS.forEach(function (kind) {
    if (byKind[kind]) { byKind[kind].addTo(map); layers.addOverlay(byKind[kind], html(words["kind_" + kind])); }
  });

  // Plots: coloured by status; on a passport the plot itself stands out among its neighbours.
  var byId = {};
  function style(f, hi) {
    if (data.focus) {
      var focus = f.properties.focus;
      return {className: "plot plot-" + f.id + (focus ? " plot-focus" : ""),
              color: focus || hi ? "#000" : "#8a94a0", weight: focus ? 3 : (hi ? 2 : 1),
              fillColor: focus ? "#f28e2b" : "#dfe3e8", fillOpacity: focus ? 0.85 : 0.7};
    }
    return {className: "plot plot-" + f.id, color: hi ? "#000" : "#333", weight: hi ? 3 : 1,
            fillColor: COLORS[f.properties.status] || "#888", fillOpacity: hi ? 0.9 : 0.65};
  }
  var plots = L.geoJSON(data.plots, {
    style: function (f) { return style(f, false); },
    onEachFeature: function (f, layer) {
      byId[f.id] = layer;
      layer.bindTooltip(text([f.properties.code, f.properties.name, f.properties.status_label]
                             .filter(Boolean).join(" · ")));
      if (f.properties.url && !f.properties.focus) {
        layer.on("click", function () {  // only a path on this site, never a javascript: URL
          if (/^\/(?!\/)/.test(f.properties.url)) window.location.href = f.properties.url;
        });
      }
      layer.on("mouseover", function () { highlight(f.id, true); });
      layer.on("mouseout", function () { highlight(f.id, false); });
    }
  }).addTo(map);
  layers.addOverlay(plots, html(words.plots));
  if (data.focus && byId[data.focus]) byId[data.focus].bringToFront();

  // The focused plot, else the plots, else the zones' extent (the whole country without zones).
  var target = data.focus && byId[data.focus] ? byId[data.focus].getBounds() : plots.getBounds();
  if (target.isValid()) map.fitBounds(target.pad(data.focus ? 1.2 : 0.15));
  else map.fitBounds(data.extent);

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
      if (shown[id]) { if (!plots.hasLayer(byId[id])) plots.addLayer(byId[id]); }
      else if (plots.hasLayer(byId[id])) plots.removeLayer(byId[id]);
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
