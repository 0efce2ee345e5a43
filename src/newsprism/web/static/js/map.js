/* Newsprism event map. Reads the page's JSON block (never executed, read as text), draws the
 * bundled country outlines and one circle per place. Popups are built from DOM nodes with
 * textContent only: article text is never parsed as HTML. */
(function () {
  "use strict";
  var holder = document.getElementById("map-data");
  var box = document.getElementById("map");
  if (!holder || !box || !window.L) { return; }
  var data = JSON.parse(holder.textContent);

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function label(type) { return String(type || "").replace(/_/g, " "); }

  var map = L.map(box, { worldCopyJump: false, minZoom: 2, maxZoom: 12, preferCanvas: false });
  map.attributionControl.setPrefix(false);
  map.setView([49, 32], 5);

  if (data.tiles) {
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 12,
      attribution: "© OpenStreetMap contributors"
    }).addTo(map);
  }

  var basemap = L.geoJSON(null, {
    interactive: false,
    style: function () {
      return { color: "#8a96a3", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: data.tiles ? 0 : 1 };
    }
  }).addTo(map);
  map.attributionControl.addAttribution("Country outlines: Natural Earth via world-atlas");
  fetch(data.basemap, { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (geo) {
      if (geo) { basemap.addData(geo); basemap.bringToBack(); box.setAttribute("data-basemap", "ready"); }
    })
    .catch(function () { box.setAttribute("data-basemap", "failed"); });

  function popup(place) {
    var root = el("div", "np-popup");
    root.appendChild(el("h3", null, (place.place || "Unnamed place") + " — " + place.count +
      (place.count === 1 ? " event" : " events")));
    var types = el("p", "np-types");
    Object.keys(place.types).sort(function (a, b) { return place.types[b] - place.types[a]; })
      .forEach(function (t) {
        var chip = el("span", "np-chip", label(t) + " " + place.types[t]);
        chip.style.borderColor = data.colours[t] || "#777";
        types.appendChild(chip);
      });
    root.appendChild(types);
    var list = el("ol", "np-events");
    place.events.forEach(function (ev) {
      var item = el("li");
      var head = el("div", "np-head");
      head.appendChild(el("strong", null, label(ev.type)));
      head.appendChild(document.createTextNode(" · " + (ev.date || "undated") + " · "));
      if (ev.document) {
        var link = el("a", null, ev.outlet || "article");
        link.href = "/documents/" + encodeURIComponent(ev.document);
        head.appendChild(link);
      } else {
        head.appendChild(document.createTextNode(ev.outlet || ""));
      }
      item.appendChild(head);
      item.appendChild(el("div", "np-claim", "claimed by " + (ev.claimed_by || "the outlet itself")));
      item.appendChild(el("q", "np-evidence", ev.evidence || ""));
      list.appendChild(item);
    });
    root.appendChild(list);
    if (place.count > place.events.length) {
      root.appendChild(el("p", "np-more", "… and " + (place.count - place.events.length) + " more"));
    }
    return root;
  }

  // Countries and regions are placed at their centroid: drawn as a dashed area around it
  // (never as a point, which would read as an event in one town).
  var AREA_KM = { country: 350, region: 80 };
  var top = data.places.reduce(function (m, p) { return Math.max(m, p.count); }, 1);
  var others = L.layerGroup();
  var eventPlaces = {};
  data.places.forEach(function (p) { eventPlaces[p.lat + "," + p.lon] = true; });
  data.known_places.forEach(function (p) {
    if (eventPlaces[p.lat + "," + p.lon]) { return; }
    var area = AREA_KM[p.precision];
    var shape = area
      ? L.circle([p.lat, p.lon], {
        radius: area * 1000, color: "#777", weight: 1, dashArray: "4 4", fill: false,
        className: "np-place np-area"
      })
      : L.circleMarker([p.lat, p.lon], {
        radius: 3, color: "#555", weight: 1, fillColor: "#999", fillOpacity: 0.8, className: "np-place"
      });
    shape.bindTooltip(p.name + " (" + p.documents + " documents" +
      (area ? ", whole " + p.precision : "") + ")").addTo(others);
  });
  others.addTo(map);

  var events = L.featureGroup();
  var markers = [];
  data.places.forEach(function (p) {
    var area = AREA_KM[p.precision];
    var marker = area
      ? L.circle([p.lat, p.lon], {
        radius: area * 1000, color: p.colour, weight: 2, dashArray: "6 4", fillColor: p.colour,
        fillOpacity: 0.12, className: "np-marker np-area"
      })
      : L.circleMarker([p.lat, p.lon], {
        radius: 5 + 13 * Math.sqrt(p.count / top),
        color: "#fff", weight: 1.5, fillColor: p.colour, fillOpacity: 0.85, className: "np-marker"
      });
    marker.bindPopup(function () { return popup(p); }, { maxWidth: 380, maxHeight: 320 });
    marker.bindTooltip((p.place || "place") + ": " + p.count +
      (area ? " (somewhere in this " + p.precision + ")" : ""));
    marker.addTo(events);
    markers.push({ place: p, marker: marker, area: area });
  });
  events.addTo(map);
  // Frame the bulk of the events: the places between the 10th and 90th percentile of
  // latitude and longitude, counting each event (a namesake abroad, a capital quoted in
  // passing, stay on the map but do not zoom it out to the whole continent).
  function quantile(values, q) {
    var v = values.slice().sort(function (a, b) { return a - b; });
    return v.length ? v[Math.min(v.length - 1, Math.floor(q * v.length))] : 0;
  }
  function frame(places) {
    if (!places.length) { return null; }
    var weighted = [];
    places.forEach(function (p) {
      var n = Math.max(1, Math.min(p.count, 1000));
      for (var i = 0; i < n; i++) { weighted.push(p); }
    });
    var lats = weighted.map(function (p) { return p.lat; });
    var lons = weighted.map(function (p) { return p.lon; });
    var lat0 = quantile(lats, 0.1), lat1 = quantile(lats, 0.9);
    var lon0 = quantile(lons, 0.1), lon1 = quantile(lons, 0.9);
    var core = places.filter(function (p) {
      return p.lat >= lat0 && p.lat <= lat1 && p.lon >= lon0 && p.lon <= lon1;
    });
    return L.latLngBounds((core.length ? core : places).map(function (p) { return [p.lat, p.lon]; }));
  }
  var framed = frame(data.places);
  if (framed) {
    map.fitBounds(framed.pad(0.25), { maxZoom: 8 });
    box.setAttribute("data-frame", [framed.getSouth(), framed.getWest(), framed.getNorth(),
      framed.getEast()].map(function (v) { return v.toFixed(3); }).join(","));
  }
  L.control.layers(null, { "Event places": events, "Other places mentioned": others },
    { collapsed: false }).addTo(map);

  // The time slider: events up to a day (all before it, or the last 7 or 30 days); a place
  // with none in the window is hidden, the others resized by what the window holds.
  var DAY = 86400000;
  function dayNumber(iso) { return Math.floor(Date.parse(iso + "T00:00:00Z") / DAY); }
  function isoDay(n) { return new Date(n * DAY).toISOString().slice(0, 10); }
  var allDays = [];
  markers.forEach(function (m) { (m.place.days || []).forEach(function (d) { allDays.push(dayNumber(d)); }); });
  var slider = document.getElementById("time-slider");
  var windowSelect = document.getElementById("time-window");
  var timeLabel = document.getElementById("time-label");
  var playButton = document.getElementById("time-play");
  var timeBox = document.getElementById("map-time");
  if (slider && allDays.length) {
    var first = Math.min.apply(null, allDays);
    var last = Math.max.apply(null, allDays);
    slider.min = "0";
    slider.max = String(last - first);
    slider.value = slider.max;
    timeBox.hidden = false;
    var showTime = function () {
      var end = first + Number(slider.value);
      var span = Number(windowSelect.value);
      var start = span ? end - span + 1 : -Infinity;
      var shown = 0, eventsShown = 0;
      markers.forEach(function (m) {
        var n = (m.place.days || []).filter(function (d) {
          var k = dayNumber(d);
          return k >= start && k <= end;
        }).length;
        if (!n) {
          if (events.hasLayer(m.marker)) { events.removeLayer(m.marker); }
          return;
        }
        shown += 1;
        eventsShown += n;
        if (!m.area) { m.marker.setRadius(5 + 13 * Math.sqrt(n / top)); }
        if (!events.hasLayer(m.marker)) { events.addLayer(m.marker); }
      });
      timeLabel.textContent = (span ? isoDay(Math.max(start, first)) + " – " : "up to ") +
        isoDay(end) + ": " + eventsShown + (eventsShown === 1 ? " event" : " events") +
        " at " + shown + (shown === 1 ? " place" : " places");
      box.setAttribute("data-visible", String(shown));
      box.setAttribute("data-until", isoDay(end));
    };
    slider.addEventListener("input", showTime);
    windowSelect.addEventListener("change", showTime);
    var timer = null;
    playButton.addEventListener("click", function () {
      if (timer) { clearInterval(timer); timer = null; playButton.textContent = "▶ play"; return; }
      if (Number(slider.value) >= Number(slider.max)) { slider.value = "0"; }
      playButton.textContent = "❚❚ pause";
      var step = Math.max(1, Math.round((last - first) / 60));
      timer = setInterval(function () {
        slider.value = String(Math.min(Number(slider.max), Number(slider.value) + step));
        showTime();
        if (Number(slider.value) >= Number(slider.max)) {
          clearInterval(timer); timer = null; playButton.textContent = "▶ play";
        }
      }, 200);
    });
    showTime();
  }

  var legend = document.getElementById("map-legend");
  if (legend) {
    var seen = {};
    data.places.forEach(function (p) { seen[p.main_type] = true; });
    Object.keys(seen).sort().forEach(function (t) {
      var item = el("span", "legend-item");
      var swatch = el("i", "sw");
      swatch.style.background = data.colours[t] || "#777";
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(label(t)));
      legend.appendChild(item);
    });
  }
  box.setAttribute("data-markers", String(data.places.length));
})();
