// The live page's only script. Static text (no data interpolated), allowed by its sha256 in the CSP.
// It subscribes to the server-sent events named by the page (`data-stream`) and puts the fragments
// the server rendered (and escaped) in place; its buttons call the control API with JSON. Errors are
// shown with textContent. A dropped or broken stream is said in the notice bar.

export const LIVE_SCRIPT = String.raw`(function () {
  "use strict";
  var doc = document;
  function $(id) { return doc.getElementById(id); }
  function notice(text) { var n = $("notice"); if (n) { n.textContent = text; n.hidden = false; } }
  function conn(ok, text) { var c = $("conn"); if (!c) return; c.className = "status " + (ok ? "ok" : "off"); c.firstElementChild.textContent = text; }
  function replace(id, htmlText, container, where) {
    var el = $(id);
    if (el) {
      var open = el.tagName === "DETAILS" && el.open;
      el.outerHTML = htmlText;
      if (open && $(id)) $(id).open = true;
    } else if (container) container.insertAdjacentHTML(where, htmlText);
  }
  var source = doc.querySelector("[data-stream]");
  if (source && window.EventSource) {
    var url = source.getAttribute("data-stream");
    var es = new EventSource(url);
    es.onopen = function () { conn(true, "● live"); };
    es.onerror = function () { conn(false, es.readyState === 2 ? "disconnected" : "reconnecting…"); };
    function on(name, fn) { es.addEventListener(name, function (ev) { var d; try { d = JSON.parse(ev.data); } catch (e) { return; } fn(d); }); }
    on("call", function (d) { replace(d.id, d.html, $("calls"), "afterbegin"); if ($("call-count") && d.count) $("call-count").textContent = d.count; });
    on("rows", function (d) {
      Array.prototype.slice.call(source.querySelectorAll("details.row")).forEach(function (r) { r.remove(); });
      source.insertAdjacentHTML("beforeend", d.rows.map(function (r) { return r.html; }).join(""));
      if ($("seq-more")) $("seq-more").hidden = !d.cut;
    });
    on("row", function (d) { replace(d.id, d.html, source, "beforeend"); });
    on("cut", function () { if ($("seq-more")) $("seq-more").hidden = false; });
    on("section", function (d) { var el = $(d.id); if (el) el.innerHTML = d.html; });
    on("ended", function () { var c = $("controls"); if (c) c.hidden = true; });
    on("dropped", function (d) { notice("The live view stopped: " + (d.reason || "the server dropped this page's event stream") + ". Reload to resume."); es.close(); conn(false, "stopped"); });
  }
  function post(path, body, errorEl, done) {
    if (errorEl) errorEl.textContent = "";
    fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body || {}) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }, function () { return { ok: r.ok, j: {} }; }); })
      .then(function (x) {
        if (!x.ok) { if (errorEl) errorEl.textContent = (x.j && x.j.error && x.j.error.message) || "request failed"; return; }
        if (done) done(x.j);
      }, function (e) { if (errorEl) errorEl.textContent = String(e); });
  }
  var form = $("new-call");
  if (form) form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var body = { appUrl: form.elements.appUrl.value };
    if (form.elements.audio.value) body.audio = form.elements.audio.value;
    if (form.elements.dtmf.value) body.dtmf = form.elements.dtmf.value;
    post("/_bwemu/calls", body, $("new-call-error"), function (j) { location.href = "/calls/" + encodeURIComponent(j.callId); });
  });
  var controls = $("controls");
  if (controls) {
    var base = "/_bwemu/calls/" + encodeURIComponent(controls.getAttribute("data-call"));
    var err = $("control-error");
    var dtmf = $("dtmf-form");
    dtmf.addEventListener("submit", function (ev) { ev.preventDefault(); post(base + "/dtmf", { digits: dtmf.elements.digits.value }, err, function () { dtmf.reset(); }); });
    var audio = $("audio-form");
    audio.addEventListener("submit", function (ev) { ev.preventDefault(); post(base + "/audio", { audio: audio.elements.audio.value }, err); });
    Array.prototype.slice.call(controls.querySelectorAll("button[data-action=hangup]")).forEach(function (b) { b.addEventListener("click", function () { post(base + "/hangup", {}, err); }); });
    Array.prototype.slice.call(controls.querySelectorAll("button[data-action=fault]")).forEach(function (b) { b.addEventListener("click", function () { post(base + "/faults", { kind: b.getAttribute("data-fault") }, err); }); });
  }
})();`;
