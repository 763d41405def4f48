/* Search over the 個人情報ファイル簿 (assets/search-index.js), in the page: no server, no framework.
   Keyword (all words must match, NFKC and kana folded) in every field or one of 名称・組織・利用目的・記録項目・種別,
   facets with their counts, results as links to the files' pages. The state is kept in the address (?q=…), so a
   search can be bookmarked. Without this script the page still offers the full list (list.html). */
(function () {
  "use strict";
  var data = window.MAMORI_FILEBOOK;
  var section = document.getElementById("search");
  if (!data || !section) return;
  document.documentElement.classList.add("js");
  section.hidden = false;

  var PAGE = 20;
  var kinds = data.kinds;
  var form = document.getElementById("search-form");
  var q = document.getElementById("q");
  var fieldSelect = document.getElementById("field");
  var unitSelect = document.getElementById("unit");
  var statusLine = document.getElementById("search-status");
  var results = document.getElementById("results");
  var more = document.getElementById("more");
  var shown = PAGE;
  var matches = [];

  function norm(s) {
    return String(s).normalize("NFKC").toLowerCase().replace(/[\u30a1-\u30f6]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0x60);
    });
  }

  var entries = data.entries.map(function (e) {
    var h = {
      name: norm(e.c + " " + e.n), unit: norm(e.o + " " + e.u.join(" ")), purpose: norm(e.p),
      items: norm(e.i.join(" ")), kind: norm(kinds[e.k] || "")
    };
    h.all = [h.name, h.unit, h.purpose, h.items, h.kind].join("\n");
    return { e: e, h: h, unit: e.u[0] || "", sensitive: e.s ? "1" : "0", recipients: e.r ? "1" : "0" };
  });

  var FACETS = {
    organ: { key: function (x) { return x.e.o; }, label: function (v) { return v; } },
    sensitive: { key: function (x) { return x.sensitive; }, label: function (v) { return v === "1" ? "含む" : "含まない"; } },
    recipients: { key: function (x) { return x.recipients; }, label: function (v) { return v === "1" ? "あり" : "なし"; } },
    kind: { key: function (x) { return x.e.k; }, label: function (v) { return kinds[v] || v; } }
  };

  var ORDER = { sensitive: ["1", "0"], recipients: ["1", "0"], kind: ["computerized", "manual"] };
  function values(name) {  // the 実施機関 by their number of files; yes before no; 電算 before マニュアル
    var seen = {};
    entries.forEach(function (x) { var k = FACETS[name].key(x); seen[k] = (seen[k] || 0) + 1; });
    if (ORDER[name]) return ORDER[name].filter(function (k) { return seen[k]; });
    return Object.keys(seen).sort(function (a, b) { return seen[b] - seen[a] || (a < b ? -1 : 1); });
  }

  // the facet checkboxes, built once
  Object.keys(FACETS).forEach(function (name) {
    var box = section.querySelector('[data-facet="' + name + '"]');
    values(name).forEach(function (v, i) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "checkbox"; input.name = name; input.value = v; input.id = "f-" + name + "-" + i;
      label.htmlFor = input.id;
      var text = document.createElement("span");
      text.textContent = FACETS[name].label(v);
      var count = document.createElement("span");
      count.className = "count";
      label.appendChild(input); label.appendChild(text); label.appendChild(count);
      box.appendChild(label);
    });
  });
  var units = {};
  entries.forEach(function (x) { x.e.u.forEach(function (u) { units[u] = true; }); });
  Object.keys(units).sort().forEach(function (u) {
    var o = document.createElement("option");
    o.value = u; o.textContent = u;
    unitSelect.appendChild(o);
  });

  function checked(name) {
    var out = [];
    section.querySelectorAll('input[name="' + name + '"]:checked').forEach(function (i) { out.push(i.value); });
    return out;
  }

  function state() {
    var s = { q: q.value, field: fieldSelect.value, unit: unitSelect.value };
    Object.keys(FACETS).forEach(function (name) { s[name] = checked(name); });
    return s;
  }

  function textMatch(x, words, field) {
    var hay = x.h[field] || x.h.all;
    for (var i = 0; i < words.length; i++) if (hay.indexOf(words[i]) < 0) return false;
    return true;
  }

  function facetMatch(x, s, except) {
    if (except !== "unit" && s.unit && x.e.u.indexOf(s.unit) < 0) return false;
    for (var name in FACETS) {
      if (name === except || !s[name].length) continue;
      if (s[name].indexOf(FACETS[name].key(x)) < 0) return false;
    }
    return true;
  }

  /* The search itself: the matching entries and each facet option's count (under the other conditions). */
  function run(s) {
    var words = norm(s.q).split(/\s+/).filter(Boolean);
    var byText = words.length ? entries.filter(function (x) { return textMatch(x, words, s.field); }) : entries;
    var found = byText.filter(function (x) { return facetMatch(x, s, null); });
    var counts = {};
    Object.keys(FACETS).forEach(function (name) {
      var c = counts[name] = {};
      byText.forEach(function (x) { if (facetMatch(x, s, name)) { var k = FACETS[name].key(x); c[k] = (c[k] || 0) + 1; } });
    });
    return { found: found, counts: counts };
  }
  window.mamoriSearch = function (s) {
    var t = performance.now();
    var r = run(Object.assign({ q: "", field: "all", unit: "", organ: [], sensitive: [], recipients: [], kind: [] }, s));
    return { count: r.found.length, ms: performance.now() - t };
  };

  function item(x) {
    var e = x.e;
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.className = "name"; a.href = "files/" + e.c + ".html"; a.textContent = e.n;
    li.appendChild(a);
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = e.c + "　" + e.o + " " + e.u.join("、") + "　" + (kinds[e.k] || "");
    li.appendChild(meta);
    if (e.s) {
      var tag = document.createElement("span");
      tag.className = "tag sensitive"; tag.textContent = "要配慮個人情報を含む";
      li.appendChild(tag);
    }
    if (e.r) {
      var rec = document.createElement("span");
      rec.className = "tag"; rec.textContent = "経常的提供先あり";
      li.appendChild(rec);
    }
    return li;
  }

  function draw() {
    results.replaceChildren.apply(results, matches.slice(0, shown).map(item));
    more.hidden = matches.length <= shown;
    more.textContent = "さらに表示（残り" + (matches.length - shown).toLocaleString("ja-JP") + "件）";
  }

  function save(s) {
    var p = new URLSearchParams();
    if (s.q) p.set("q", s.q);
    if (s.field !== "all") p.set("field", s.field);
    if (s.unit) p.set("unit", s.unit);
    Object.keys(FACETS).forEach(function (name) { s[name].forEach(function (v) { p.append(name, v); }); });
    var query = p.toString();
    try { history.replaceState(null, "", query ? "?" + query : location.pathname); } catch (err) { /* file:// may refuse */ }
  }

  var last = null;
  function update(keepShown) {
    var t = performance.now();
    var s = state();
    var key = JSON.stringify(s);
    if (key === last) return;  // nothing changed (a "change" after "input"): keep the results, and the link being clicked
    last = key;
    var r = run(s);
    matches = r.found;
    if (!keepShown) shown = PAGE;
    Object.keys(FACETS).forEach(function (name) {
      section.querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
        input.parentNode.querySelector(".count").textContent = "（" + (r.counts[name][input.value] || 0).toLocaleString("ja-JP") + "）";
      });
    });
    draw();
    statusLine.textContent = matches.length
      ? matches.length.toLocaleString("ja-JP") + "件見つかりました（全" + entries.length.toLocaleString("ja-JP") + "件中）"
      : "条件に合うファイルはありません。キーワードを減らすか、条件を消してください。";
    save(s);
    var ms = performance.now() - t;
    window.mamoriSearchMs = ms;
    results.dataset.ms = ms.toFixed(1);
  }

  function restore() {
    var p = new URLSearchParams(location.search);
    q.value = p.get("q") || "";
    if (p.get("field")) fieldSelect.value = p.get("field");
    if (p.get("unit")) unitSelect.value = p.get("unit");
    Object.keys(FACETS).forEach(function (name) {
      var want = p.getAll(name);
      section.querySelectorAll('input[name="' + name + '"]').forEach(function (i) { i.checked = want.indexOf(i.value) >= 0; });
    });
  }

  form.addEventListener("input", function () { update(false); });
  form.addEventListener("change", function () { update(false); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); update(false); });
  document.getElementById("search-reset").addEventListener("click", function () {
    form.reset();
    last = null;
    update(false);
    q.focus();
  });
  more.addEventListener("click", function () {
    var first = shown;
    shown += PAGE;
    draw();
    var next = results.children[first];
    if (next) next.querySelector("a").focus();
  });
  restore();
  update(false);
})();
