/* City-issue reports: the public map and the point picker of the report form.
   Leaflet (and markercluster) are the geoportal's vendored copies. Progressive
   enhancement: without JavaScript the list of reports and the coordinate fields are the
   whole page; without background tiles the markers and the picker still work. */
(function () {
  "use strict";

  var CENTRE = [49.4216, 26.9965]; // Khmelnytskyi

  function tileLayer(map, element, statusId) {
    var failed = false;
    var tiles = L.tileLayer(element.dataset.tileUrl, {
      maxZoom: 19,
      attribution: element.dataset.tileAttribution
    });
    tiles.on("tileerror", function () {
      if (failed) return;
      failed = true;
      var status = document.getElementById(statusId);
      if (status) status.textContent = element.dataset.tilesFailed;
    });
    tiles.addTo(map);
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function dot(status) {
    return L.divIcon({ className: "issue-dot issue-dot-" + status, iconSize: [18, 18], html: "" });
  }

  function publicMap(element) {
    var source = document.getElementById("issue-points");
    var points = source ? JSON.parse(source.textContent) : [];
    element.innerHTML = "";
    var map = L.map(element, { scrollWheelZoom: false }).setView(CENTRE, 13);
    tileLayer(map, element, "map-status");
    var group = L.markerClusterGroup({ maxClusterRadius: 40, disableClusteringAtZoom: 17 });
    points.forEach(function (point) {
      var label = "№ " + point.id + ": " + point.category + " — " + point.status_label;
      var marker = L.marker([point.lat, point.lng], {
        icon: dot(point.status), title: label, alt: label, keyboard: true
      });
      marker.on("add", function () {
        var el = marker.getElement();
        if (el) { el.dataset.report = point.id; el.dataset.status = point.status; }
      });
      marker.bindPopup(
        "<p><strong>№ " + point.id + "</strong> · " + escapeHtml(point.category) + "</p>" +
        "<p>" + escapeHtml(point.status_label) + (point.address ? " · " + escapeHtml(point.address) : "") + "</p>" +
        '<p><a class="report-link" href="' + point.url + '">' + escapeHtml(element.dataset.openLabel) + "</a></p>"
      );
      group.addLayer(marker);
    });
    group.addTo(map);
    if (points.length) map.fitBounds(group.getBounds(), { padding: [20, 20], maxZoom: 16 });
    element.dataset.shown = String(points.length);
    element.dataset.loaded = "true";
  }

  function pointPicker(picker) {
    var lat = document.getElementById("id_latitude");
    var lng = document.getElementById("id_longitude");
    var mapElement = document.getElementById("pick-map");
    if (!lat || !lng || !mapElement) return;
    // Beside the coordinates it fills in, not at the end of the form.
    var field = lng.closest(".field");
    if (field && field.parentNode) field.parentNode.insertBefore(picker, field.nextSibling);
    picker.hidden = false;

    var status = document.getElementById("picker-status");
    var parts = (picker.dataset.bounds || "").split(",").map(Number);
    var bounds = parts.length === 4 && !parts.some(isNaN)
      ? L.latLngBounds([parts[0], parts[1]], [parts[2], parts[3]]) : null;
    var map = L.map(mapElement, { scrollWheelZoom: false }).setView(CENTRE, 13);
    tileLayer(map, picker, "picker-status");
    if (bounds) L.rectangle(bounds, { color: "#0b5394", weight: 2, fill: false, interactive: false }).addTo(map);
    var marker = null;

    function show(latlng) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.circleMarker(latlng, { radius: 9, color: "#a3141c", weight: 3, interactive: false }).addTo(map);
    }

    function choose(latlng) {
      if (bounds && !bounds.contains(latlng)) {
        status.textContent = picker.dataset.outside;
        return;
      }
      var la = latlng.lat.toFixed(6);
      var ln = latlng.lng.toFixed(6);
      lat.value = la;
      lng.value = ln;
      show(latlng);
      status.textContent = picker.dataset.chosen.replace("%(lat)s", la).replace("%(lng)s", ln);
      mapElement.dataset.chosen = la + "," + ln;
    }

    // Typed coordinates move the marker, so the two ways of giving the point agree.
    function fromFields() {
      var la = parseFloat(lat.value.replace(",", "."));
      var ln = parseFloat(lng.value.replace(",", "."));
      if (isNaN(la) || isNaN(ln)) return;
      show([la, ln]);
      map.panTo([la, ln]);
    }

    map.on("click", function (event) { choose(event.latlng); });
    document.getElementById("use-centre").addEventListener("click", function () {
      choose(map.getCenter());
    });
    lat.addEventListener("change", fromFields);
    lng.addEventListener("change", fromFields);
    fromFields();
    mapElement.dataset.loaded = "true";
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") return;
    var element = document.getElementById("issues-map");
    if (element && L.markerClusterGroup) publicMap(element);
    var picker = document.getElementById("point-picker");
    if (picker) pointPicker(picker);
  });
})();
