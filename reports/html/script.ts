// The report's only script. Static text (no data interpolated), allowed by its sha256 in the CSP, so
// nothing a bridge sent can ever become script. Everything works without it except: verdict
// filters, expand/collapse all, opening a case from a link, print expansion and the waveform playhead.

export const SCRIPT = String.raw`(function () {
  "use strict";
  var doc = document;
  function all(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var el = doc.getElementById(id);
    if (!el) return;
    for (var p = el; p; p = p.parentElement) if (p.tagName === "DETAILS") p.open = true;
    if (el.hidden) { el.hidden = false; }
    el.scrollIntoView({ block: "start" });
    var s = el.querySelector("summary");
    if (s) s.focus({ preventScroll: true });
  }
  window.addEventListener("hashchange", openTarget);
  if (location.hash) openTarget();

  var filters = {};
  function applyFilters() {
    all("details.case").forEach(function (d) { d.hidden = filters[d.getAttribute("data-verdict")] === false; });
    all(".group-block").forEach(function (g) { g.hidden = all("details.case:not([hidden])", g).length === 0; });
  }
  all("button[data-filter]").forEach(function (b) {
    b.addEventListener("click", function () {
      var v = b.getAttribute("data-filter");
      var on = b.getAttribute("aria-pressed") !== "true";
      b.setAttribute("aria-pressed", String(on));
      filters[v] = on;
      applyFilters();
    });
  });
  function setAll(open) { all("details.case").forEach(function (d) { if (!d.hidden) d.open = open; }); }
  all("button[data-expand]").forEach(function (b) {
    b.addEventListener("click", function () { setAll(b.getAttribute("data-expand") === "open"); });
  });

  var printed = [];
  window.addEventListener("beforeprint", function () {
    var closed = all("details.case:not([open]), details.sub:not([open])");
    closed.forEach(function (d) { d.open = true; });
    printed = printed.concat(closed);
  });
  window.addEventListener("afterprint", function () { printed.forEach(function (d) { d.open = false; }); printed = []; });

  all("svg.wave[data-audio]").forEach(function (svg) {
    var audio = doc.getElementById(svg.getAttribute("data-audio"));
    var head = svg.querySelector(".head");
    if (!audio || !head) return;
    function draw() {
      var d = audio.duration;
      var x = d && isFinite(d) ? (audio.currentTime / d) * 1000 : 0;
      head.setAttribute("x1", String(x)); head.setAttribute("x2", String(x));
      head.style.display = audio.currentTime > 0 ? "" : "none";
    }
    audio.addEventListener("timeupdate", draw);
    audio.addEventListener("seeked", draw);
    function seek(frac) {
      if (audio.duration && isFinite(audio.duration)) { audio.currentTime = Math.max(0, Math.min(1, frac)) * audio.duration; }
    }
    svg.addEventListener("click", function (ev) {
      var r = svg.getBoundingClientRect();
      seek((ev.clientX - r.left) / r.width);
    });
    svg.addEventListener("keydown", function (ev) {
      var d = audio.duration || 0;
      if (ev.key === "ArrowRight") { audio.currentTime = Math.min(d, audio.currentTime + 1); ev.preventDefault(); }
      else if (ev.key === "ArrowLeft") { audio.currentTime = Math.max(0, audio.currentTime - 1); ev.preventDefault(); }
      else if (ev.key === " " || ev.key === "Enter") { if (audio.paused) { var pr = audio.play(); if (pr && pr.catch) pr.catch(function () {}); } else audio.pause(); ev.preventDefault(); }
    });
  });
})();`;
