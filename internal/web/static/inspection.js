// The on-site page: check-in with the phone's position, the figures'
// differences as they are typed, findings added row by row, and a draft of
// the whole form kept in the browser (localStorage) on every input, so that
// nothing typed on a weak network is lost. The draft is cleared only once
// the server shows the record submitted.
(function () {
  "use strict";

  var PREFIX = "lianggao.inspection.";

  // Check-in: the browser's position (WGS-84) fills the hidden fields.
  function setupCheckin() {
    var button = document.getElementById("checkin-button");
    var form = document.getElementById("checkin-form");
    var status = document.getElementById("geo-status");
    if (!button || !form) return;
    button.addEventListener("click", function () {
      if (!navigator.geolocation) {
        status.textContent = status.dataset.failed;
        return;
      }
      button.disabled = true;
      status.textContent = status.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("checkin-lat").value = pos.coords.latitude;
        document.getElementById("checkin-lon").value = pos.coords.longitude;
        var reason = document.getElementById("reason");
        if (reason && !reason.reportValidity()) {
          button.disabled = false;
          return;
        }
        form.submit();
      }, function () {
        button.disabled = false;
        status.textContent = status.dataset.failed;
      }, { enableHighAccuracy: true, timeout: 30000, maximumAge: 60000 });
    });
  }

  // The difference between the figure on record and the verified one.
  function updateDifference(row, threshold) {
    var cell = row.querySelector(".diff");
    var input = row.querySelector("input[name=fig_verified]");
    if (!cell || !input) return;
    var recorded = parseFloat(row.dataset.recorded);
    var verified = parseFloat(input.value.replace(/,/g, ""));
    cell.textContent = "";
    if (isNaN(recorded) || recorded === 0 || isNaN(verified)) return;
    var d = (verified - recorded) / recorded;
    var span = document.createElement("span");
    span.textContent = (d * 100).toFixed(1) + "%";
    if (Math.abs(d) > threshold) span.className = "tag red large-difference";
    cell.appendChild(span);
  }

  function setupFigures(form) {
    var table = document.getElementById("figures");
    if (!table) return;
    var threshold = parseFloat(table.dataset.threshold);
    var rows = table.querySelectorAll("tbody tr");
    var update = function () { rows.forEach(function (r) { updateDifference(r, threshold); }); };
    form.addEventListener("input", update);
    form.addEventListener("lianggao:restored", update);
    update();
  }

  function addFinding() {
    var tpl = document.getElementById("finding-template");
    var box = document.getElementById("findings");
    if (tpl && box) box.appendChild(tpl.content.cloneNode(true));
  }

  // The draft: every named field's values in document order; checkboxes by
  // the values ticked.
  function readDraft(form) {
    var d = { values: {}, checked: {}, findings: form.querySelectorAll("#findings .finding-row").length };
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "file" || el.type === "submit" || el.type === "button") return;
      if (el.type === "checkbox") {
        d.checked[el.name] = d.checked[el.name] || [];
        if (el.checked) d.checked[el.name].push(el.value);
        return;
      }
      (d.values[el.name] = d.values[el.name] || []).push(el.value);
    });
    return d;
  }

  function applyDraft(form, d) {
    var have = form.querySelectorAll("#findings .finding-row").length;
    for (var i = have; i < (d.findings || 0); i++) addFinding();
    Object.keys(d.values || {}).forEach(function (name) {
      var els = form.querySelectorAll("[name='" + name + "']");
      d.values[name].forEach(function (v, i) { if (els[i]) els[i].value = v; });
    });
    Object.keys(d.checked || {}).forEach(function (name) {
      form.querySelectorAll("input[type=checkbox][name='" + name + "']").forEach(function (el) {
        el.checked = d.checked[name].indexOf(el.value) >= 0;
      });
    });
  }

  function setupDraft(form) {
    var key = form.dataset.draft;
    var status = document.getElementById("draft-status");
    var save = function () {
      try {
        localStorage.setItem(key, JSON.stringify(readDraft(form)));
        if (status) status.textContent = status.dataset.saved;
      } catch (e) { /* storage full or disabled: the form still submits */ }
    };
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved) {
      applyDraft(form, saved);
      if (status) status.textContent = status.dataset.restored;
      form.dispatchEvent(new Event("lianggao:restored"));
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    var add = document.getElementById("add-finding");
    if (add) add.addEventListener("click", function () { addFinding(); save(); });
  }

  // Photos: a phone's pictures are large; those over LARGE bytes are
  // re-encoded as JPEG at most MAXSIDE pixels wide before upload. If that
  // fails, the form is sent as chosen and the server judges it.
  var LARGE = 1.5 * 1024 * 1024, MAXSIDE = 2560;

  function shrink(file) {
    return new Promise(function (resolve) {
      if (file.size <= LARGE || !window.createImageBitmap || !/^image\/(jpeg|png)$/.test(file.type)) {
        resolve(file);
        return;
      }
      createImageBitmap(file).then(function (bmp) {
        var scale = Math.min(1, MAXSIDE / Math.max(bmp.width, bmp.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bmp.width * scale);
        canvas.height = Math.round(bmp.height * scale);
        canvas.getContext("2d").drawImage(bmp, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          resolve(blob && blob.size < file.size ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }) : file);
        }, "image/jpeg", 0.85);
      }, function () { resolve(file); });
    });
  }

  function setupPhotos() {
    var form = document.getElementById("photo-form");
    var input = document.getElementById("photo-input");
    if (!form || !input || !window.fetch || !window.Promise) return;
    form.addEventListener("submit", function (ev) {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.some(function (f) { return f.size > LARGE; })) return;
      ev.preventDefault();
      Promise.all(files.map(shrink)).then(function (small) {
        var data = new FormData();
        small.forEach(function (f) { data.append("file", f, f.name); });
        return fetch(form.action, { method: "POST", body: data, credentials: "same-origin" });
      }).then(function (res) {
        if (!res.ok) throw new Error(String(res.status));
        // The server answered with the task page: show it afresh (assigning
        // the same address with a fragment would not reload it).
        var here = window.location.href.split("#")[0];
        if (res.url.split("#")[0] === here) window.location.reload();
        else window.location.assign(res.url);
      }).catch(function () { form.submit(); });
    });
  }

  // A submitted record: its draft is no longer needed.
  function clearSubmitted() {
    var rec = document.querySelector("[data-submitted]");
    if (rec) {
      try { localStorage.removeItem(PREFIX + rec.dataset.submitted); } catch (e) { /* nothing kept */ }
    }
  }

  function init() {
    clearSubmitted();
    setupCheckin();
    setupPhotos();
    var form = document.getElementById("inspection-form");
    if (form) {
      setupDraft(form);
      setupFigures(form);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
