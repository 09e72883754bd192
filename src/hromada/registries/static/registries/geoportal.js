/* Geoportal map (Leaflet + markercluster, vendored). Progressive enhancement: without
   JavaScript the page shows its table link; without tiles the objects are still drawn. */
(function () {
  "use strict";

  function tileLayer(map, element) {
    var failed = false;
    var tiles = L.tileLayer(element.dataset.tileUrl, {
      maxZoom: 19,
      attribution: element.dataset.tileAttribution
    });
    tiles.on("tileerror", function () {
      if (failed) return;
      failed = true;
      var status = document.getElementById("map-status");
      if (status) status.textContent = element.dataset.tilesFailed;
    });
    tiles.addTo(map);
  }

  function newMap(element) {
    element.innerHTML = "";
    var map = L.map(element, { scrollWheelZoom: false }).setView([49.4216, 26.9965], 13);
    tileLayer(map, element);
    return map;
  }

  function bboxOf(text) {
    var parts = (text || "").split(",").map(Number);
    if (parts.length !== 4 || parts.some(isNaN)) return null;
    return L.latLngBounds([parts[1], parts[0]], [parts[3], parts[2]]);
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function recordUrl(layer, id) {
    return layer.record_url.replace(/0\/$/, id + "/");
  }

  function popupFor(layer, feature, openLabel) {
    var props = feature.properties || {};
    var title = props[layer.label] || ("#" + feature.id);
    return '<p><strong>' + escapeHtml(layer.title) + '</strong></p><p>' + escapeHtml(title) +
      '</p><p><a class="record-link" href="' + recordUrl(layer, feature.id) + '">' + escapeHtml(openLabel) + "</a></p>";
  }

  function dotIcon() {
    return L.divIcon({ className: "geo-dot", iconSize: [16, 16], html: "" });
  }

  function geoportal(element) {
    var layers = JSON.parse(element.dataset.layers || "[]");
    var map = newMap(element);
    var initial = bboxOf(element.dataset.bbox);
    var all = L.latLngBounds([]);
    var control = L.control.layers(null, null, { collapsed: false }).addTo(map);
    var shown = 0;
    var pending = layers.length;
    var openLabel = element.dataset.openLabel;
    var permalink = document.getElementById("permalink");
    var tableLink = document.getElementById("table-link");

    function finished() {
      element.dataset.loaded = "true";
      element.dataset.shown = String(shown);
      if (initial) map.fitBounds(initial);
      else if (all.isValid()) map.fitBounds(all, { padding: [20, 20], maxZoom: 16 });
    }

    layers.forEach(function (layer) {
      fetch(layer.url, { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.json(); })
        .then(function (collection) {
          var group = layer.geometry === "point"
            ? L.markerClusterGroup({ maxClusterRadius: 40, disableClusteringAtZoom: 17 })
            : L.featureGroup();
          var geo = L.geoJSON(collection, {
            style: function () { return { color: layer.color, weight: 4, fillOpacity: 0.35 }; },
            pointToLayer: function (feature, latlng) {
              var props = feature.properties || {};
              var label = props[layer.label] || ("#" + feature.id);
              var icon = dotIcon();
              var marker = L.marker(latlng, { icon: icon, title: String(label), alt: String(label), keyboard: true });
              marker.on("add", function () {
                var el = marker.getElement();
                if (el) { el.style.background = layer.color; el.dataset.registry = layer.key; el.dataset.record = feature.id; }
              });
              return marker;
            },
            onEachFeature: function (feature, item) {
              item.bindPopup(popupFor(layer, feature, openLabel));
            }
          });
          group.addLayer(geo);
          group.addTo(map);
          control.addOverlay(group, '<span class="swatch" style="background:' + layer.color + '"></span> ' + escapeHtml(layer.title));
          shown += (collection.features || []).length;
          if (geo.getLayers().length) all.extend(geo.getBounds());
        })
        .catch(function () {
          var status = document.getElementById("map-status");
          if (status) status.textContent = layer.title + ": ?";
        })
        .finally(function () {
          pending -= 1;
          if (pending === 0) finished();
        });
    });
    if (!layers.length) finished();

    // The permalink and the table link follow the view: bbox of the map plus the filters.
    map.on("moveend", function () {
      if (element.dataset.loaded !== "true") return;
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",");
      var params = new URLSearchParams(window.location.search);
      params.set("bbox", bbox);
      var url = window.location.pathname + "?" + params.toString();
      history.replaceState(null, "", url);
      if (permalink) permalink.href = url;
      if (tableLink) {
        var tableUrl = new URL(tableLink.href, window.location.href);
        tableUrl.searchParams.set("bbox", bbox);
        tableLink.href = tableUrl.pathname + "?" + tableUrl.searchParams.toString();
      }
    });
  }

  function recordMap(element) {
    var map = newMap(element);
    var geometry = JSON.parse(element.dataset.geometry);
    var layer = L.geoJSON(geometry, {
      pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, { radius: 9, color: "#0b5394", weight: 3 }); },
      style: function () { return { color: "#0b5394", weight: 5 }; }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { maxZoom: 17, padding: [30, 30] });
    element.dataset.loaded = "true";
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") return;
    var main = document.getElementById("map");
    if (main) geoportal(main);
    var small = document.getElementById("record-map");
    if (small) recordMap(small);
  });
})();
