/* regiongraph network page: draws the network (positions precomputed, physics off) and
 * adds a legend with a filter by kind and a search box. Expects the globals `nodes`
 * and `edges` (vis.DataSet) and `options`; sets the globals `network` and, once the
 * network has been drawn, `window.regiongraphReady = true`. */
var network = new vis.Network(
  document.getElementById("mynetwork"), { nodes: nodes, edges: edges }, options);
network.once("afterDrawing", function () { window.regiongraphReady = true; });

(function () {
  "use strict";
  var all = nodes.get();

  document.getElementById("rg-counts").textContent =
    all.length + " actors, " + edges.length + " links";

  // Legend and filter: one checkbox per kind, in order of frequency.
  var kinds = {};
  all.forEach(function (n) {
    var k = kinds[n.kind] || (kinds[n.kind] = { color: n.color.background, ids: [] });
    k.ids.push(n.id);
  });
  var kindList = document.getElementById("rg-kinds");
  Object.keys(kinds)
    .sort(function (a, b) { return kinds[b].ids.length - kinds[a].ids.length || a.localeCompare(b); })
    .forEach(function (name) {
      var li = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = name;
      box.addEventListener("change", function () { showKind(name, box.checked); });
      var swatch = document.createElement("span");
      swatch.className = "rg-swatch";
      swatch.style.background = kinds[name].color;
      var count = document.createElement("span");
      count.className = "rg-count";
      count.textContent = "(" + kinds[name].ids.length + ")";
      label.append(box, swatch, document.createTextNode(name + " "), count);
      li.appendChild(label);
      kindList.appendChild(li);
    });

  function showKind(name, visible) {
    nodes.update(kinds[name].ids.map(function (id) { return { id: id, hidden: !visible }; }));
    var box = kindList.querySelector('input[value="' + name + '"]');
    if (box) { box.checked = visible; }
  }

  // Search: exact name first (case-insensitive), else the best-connected partial match.
  var names = document.getElementById("rg-names");
  all.map(function (n) { return n.label; }).sort().forEach(function (label) {
    var option = document.createElement("option");
    option.value = label;
    names.appendChild(option);
  });
  var input = document.getElementById("rg-search");
  var status = document.getElementById("rg-search-status");

  function findNode(text) {
    var q = text.trim().toLocaleLowerCase();
    if (!q) { return null; }
    var exact = null, partial = null;
    all.forEach(function (n) {
      var label = String(n.label).toLocaleLowerCase();
      if (label === q && !exact) { exact = n; }
      if (label.indexOf(q) >= 0 && (!partial || n.degree > partial.degree)) { partial = n; }
    });
    return exact || partial;
  }

  function focusNode(text) {
    var n = findNode(text);
    status.textContent = n || !text.trim() ? "" : "not found";
    if (!n) { return; }
    if (nodes.get(n.id).hidden) { showKind(n.kind, true); }
    network.selectNodes([n.id]);
    network.focus(n.id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
  }

  document.getElementById("rg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    focusNode(input.value);
  });
  input.addEventListener("change", function () { focusNode(input.value); });
  document.getElementById("rg-fit").addEventListener("click", function () {
    network.fit({ animation: { duration: 300 } });
  });
})();
