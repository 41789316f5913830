/* regiongraph network page. Reads the network from the JSON block #rg-data (written by
 * pages.page_payload: nodes best-ranked first, edges with their ends "a" and "b" as
 * node positions, sorted by the rank of their later end, "r"), draws the first RG.initial nodes at their precomputed positions (physics
 * off) and adds:
 *  - "Show more" / "Show all": the next RG.step nodes (or all) from the embedded data;
 *  - a legend whose checkboxes filter by kind and by community, line colours, sizes;
 *  - search over every node (drawn or not) that selects and focuses it;
 *  - tooltips with type and key figures; a click shows a details panel with the
 *    evidence sentences and links to the releases;
 *  - a year control when RG.style.timeline is set;
 *  - labels only where they fit (placeLabels), relation words from RG.relations, and
 *    "#ego=IRI" in the address for one node and its neighbours.
 * Globals: RG (the data), nodes and edges (vis.DataSet), network (vis.Network);
 * window.regiongraphReady = true once the network has been drawn. */
var RG = JSON.parse(document.getElementById("rg-data").textContent);
var nodes = new vis.DataSet();
var edges = new vis.DataSet();
var network = null;

(function () {
  "use strict";
  var all = RG.nodes;
  var byId = {};
  all.forEach(function (n, i) { n.i = i; byId[n.id] = n; });
  RG.edges.forEach(function (e) { e.from = all[e.a].id; e.to = all[e.b].id; });
  var shown = 0;            // RG.nodes[0 .. shown) are in the DataSet
  var edgeNext = 0;         // RG.edges[0 .. edgeNext) with r < shown are in the DataSet
  var extras = {};          // nodes added out of rank order (found by search)
  var adjacency = null;     // node id -> indices into RG.edges, built when first needed
  var kindOn = {};
  var comOn = {};
  var labelled = {};        // node id -> true when its label is drawn (placeLabels)
  var year = null;          // null: all years
  var yearOnly = false;

  var FIGURES = {
    degree: "Linked actors",
    weighted_degree: "Weighted degree",
    pagerank: "PageRank",
    betweenness: "Betweenness",
    participation: "Participation (communities)",
    country_participation: "Participation (countries)",
    broker_score: "Broker score",
    distance: "Steps from the centre"
  };

  function fmt(v) {
    if (typeof v !== "number") { return String(v); }
    if (Math.abs(v) >= 1000) { return Math.round(v).toLocaleString("en").replace(/,/g, "\u202f"); }
    if (Number.isInteger(v)) { return String(v); }
    return Number(v.toPrecision(3)).toString();
  }

  function amountText(amount) {
    return amount.map(function (a) { return fmt(a[1]) + (a[0] ? " " + a[0] : ""); }).join(" + ");
  }

  function yearsText(years) {
    if (!years || !years.length) { return "undated"; }
    return years[0] === years[years.length - 1] ? String(years[0])
      : years[0] + "–" + years[years.length - 1];
  }

  var communityById = {};
  RG.communities.forEach(function (c) { communityById[c.id] = c; });

  function communityKey(n) {
    if (n.com === undefined) { return "none"; }
    return communityById[n.com] ? String(n.com) : "other";
  }

  function communityName(number) {
    var c = communityById[number];
    return c ? "around " + c.label : "a smaller community";
  }

  function darker(hex) {
    var m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
    if (!m) { return "#4a5568"; }
    return "#" + [m[1], m[2], m[3]].map(function (h) {
      var c = Math.round(parseInt(h, 16) * 0.7).toString(16);
      return c.length < 2 ? "0" + c : c;
    }).join("");
  }

  function nodeTitle(n) {
    var lines = [n.label, "Type: " + n.kind + (n.context ? " (context)" : "")];
    if (n.com !== undefined) { lines.push("Community: " + communityName(n.com)); }
    if (n.country) { lines.push("Country: " + n.country); }
    Object.keys(n.fig || {}).forEach(function (k) {
      lines.push((FIGURES[k] || k) + ": " + fmt(n.fig[k]));
    });
    if (n.years) { lines.push("Years: " + yearsText(n.years)); }
    return lines.join("\n");
  }

  function relationText(types) {
    return types.map(function (t) {
      var w = (RG.relations || {})[t];
      return w ? w.en + " (" + w.sv + ")" : t;
    }).join(", ");
  }

  function edgeTitle(e) {
    var arrow = RG.style.directed ? " → " : " — ";
    var lines = [byId[e.from].label + arrow + byId[e.to].label];
    if (e.t) { lines.push("Link: " + relationText(e.t)); }
    lines.push("Shared: " + fmt(e.n || e.w) + (e.n && e.w !== e.n ? " (weight " + fmt(e.w) + ")" : ""));
    if (e.via) { lines.push("Via: " + e.via.join(", ") + (e.more ? " … and " + e.more + " more" : "")); }
    if (e.amount) { lines.push("Amount: " + amountText(e.amount)); }
    if (e.years) { lines.push("Years: " + yearsText(e.years)); }
    if (e.ev) { lines.push("Evidence: " + (e.ev.length + (e.evMore || 0)) + " sentence(s), click the line"); }
    return lines.join("\n");
  }

  function yearOk(years) {
    if (year === null) { return true; }
    if (!years || !years.length) { return false; }
    return yearOnly ? years.indexOf(year) >= 0 : years[0] <= year;
  }

  function visible(n) {
    return kindOn[n.kind] !== false && comOn[communityKey(n)] !== false && yearOk(n.years);
  }

  function visNode(n) {
    return {
      id: n.id, label: labelled[n.id] ? n.label : "", title: nodeTitle(n), x: n.x, y: n.y, size: n.size,
      shape: n.centre ? "star" : n.shape, font: { size: n.font },
      color: { background: n.c, border: darker(n.c),
               highlight: { background: n.c, border: "#1a202c" },
               hover: { background: n.c, border: "#1a202c" } },
      opacity: n.context ? 0.55 : 1, borderWidth: n.centre ? 3 : 1,
      hidden: !visible(n), kind: n.kind, degree: (n.fig && n.fig.degree) || 0
    };
  }

  function visEdge(e, index) {
    return {
      id: index, from: e.from, to: e.to, width: e.width, title: edgeTitle(e),
      color: { color: e.c, highlight: "#2d3748", hover: "#2d3748", opacity: 0.75 },
      hidden: RG.style.timeline ? !yearOk(e.years) : false
    };
  }

  function buildAdjacency() {
    if (adjacency) { return adjacency; }
    adjacency = {};
    RG.edges.forEach(function (e, i) {
      (adjacency[e.from] || (adjacency[e.from] = [])).push(i);
      (adjacency[e.to] || (adjacency[e.to] = [])).push(i);
    });
    return adjacency;
  }

  function addExtraEdges() {
    var ids = Object.keys(extras);
    if (!ids.length) { return; }
    var adj = buildAdjacency();
    var add = [];
    var adding = {};
    ids.forEach(function (id) {
      (adj[id] || []).forEach(function (i) {
        var e = RG.edges[i];
        if (nodes.get(e.from) && nodes.get(e.to) && !edges.get(i) && !adding[i]) {
          adding[i] = true;
          add.push(visEdge(e, i));
        }
      });
    });
    if (add.length) { edges.add(add); }
  }

  function showUpTo(k) {
    k = Math.min(k, all.length);
    var addNodes = [];
    for (var i = shown; i < k; i++) {
      if (!extras[all[i].id]) { addNodes.push(visNode(all[i])); }
    }
    if (addNodes.length) { nodes.add(addNodes); }
    shown = Math.max(shown, k);
    var addEdges = [];
    while (edgeNext < RG.edges.length && RG.edges[edgeNext].r < shown) {
      if (!edges.get(edgeNext)) { addEdges.push(visEdge(RG.edges[edgeNext], edgeNext)); }
      edgeNext++;
    }
    if (addEdges.length) { edges.add(addEdges); }
    addExtraEdges();
    updateCounts();
  }

  function showNode(n) {
    if (n.i < shown || extras[n.id]) { return; }
    extras[n.id] = true;
    nodes.add(visNode(n));
    addExtraEdges();
    updateCounts();
  }

  function updateCounts() {
    var total = all.length;
    var drawn = nodes.length;
    var text = drawn === total ? total + " nodes" : drawn + " of " + total + " nodes drawn";
    document.getElementById("rg-counts").textContent =
      text + ", " + edges.length + " of " + RG.edges.length + " links";
    var more = document.getElementById("rg-more");
    var rest = total - shown;
    document.getElementById("rg-more-controls").hidden = rest <= 0;
    more.textContent = "Show " + Math.min(RG.step, rest) + " more";
    document.getElementById("rg-all").textContent = "Show all " + total;
  }

  function applyFilters() {
    nodes.update(nodes.getIds().map(function (id) {
      return { id: id, hidden: !visible(byId[id]) };
    }));
    if (RG.style.timeline) {
      edges.update(edges.getIds().map(function (i) {
        return { id: i, hidden: !yearOk(RG.edges[i].years) };
      }));
    }
  }

  // -- legend ---------------------------------------------------------------------------
  function swatch(colour, shape) {
    var s = document.createElement("span");
    s.className = "rg-swatch" + (shape === "square" ? " rg-square" : "");
    s.style.background = colour;
    return s;
  }

  function checkItem(list, value, text, count, marker, onChange) {
    var li = document.createElement("li");
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = value;
    box.addEventListener("change", function () { onChange(box.checked); });
    var countSpan = document.createElement("span");
    countSpan.className = "rg-count";
    countSpan.textContent = "(" + count + ")";
    label.append(box);
    if (marker) { label.append(marker); }
    label.append(document.createTextNode(text + " "), countSpan);
    li.appendChild(label);
    list.appendChild(li);
    return box;
  }

  var kindCounts = {};
  var kindShape = {};
  all.forEach(function (n) {
    kindCounts[n.kind] = (kindCounts[n.kind] || 0) + 1;
    kindShape[n.kind] = n.shape;
  });
  var kindList = document.getElementById("rg-kinds");
  Object.keys(kindCounts)
    .sort(function (a, b) { return kindCounts[b] - kindCounts[a] || a.localeCompare(b); })
    .forEach(function (name) {
      var marker = RG.style.colour === "kind" ? swatch(RG.kinds[name], kindShape[name])
        : (kindShape[name] !== "dot" ? swatch("#ffffff", kindShape[name]) : null);
      checkItem(kindList, name, name, kindCounts[name], marker, function (on) {
        kindOn[name] = on;
        applyFilters();
      });
    });

  function setKind(name, on) {
    kindOn[name] = on;
    var box = kindList.querySelector('input[value="' + CSS.escape(name) + '"]');
    if (box) { box.checked = on; }
  }

  var comList = document.getElementById("rg-communities");
  var comCounts = {};
  all.forEach(function (n) { var k = communityKey(n); comCounts[k] = (comCounts[k] || 0) + 1; });
  if (RG.communities.length) {
    document.getElementById("rg-community-section").hidden = false;
    RG.communities.forEach(function (c) {
      var key = String(c.id);
      if (!comCounts[key]) { return; }
      var marker = RG.style.colour === "community" ? swatch(c.c, "dot") : null;
      var name = c.label.length > 34 ? c.label.slice(0, 33) + "…" : c.label;
      checkItem(comList, key, "around " + name, comCounts[key], marker, function (on) {
        comOn[key] = on;
        applyFilters();
      });
    });
    if (comCounts.other) {
      var marker = RG.style.colour === "community" ? swatch(RG.otherCommunityColour, "dot") : null;
      checkItem(comList, "other", "smaller communities", comCounts.other, marker, function (on) {
        comOn.other = on;
        applyFilters();
      });
    }
  }

  function setCommunity(key, on) {
    comOn[key] = on;
    var box = comList.querySelector('input[value="' + key + '"]');
    if (box) { box.checked = on; }
  }

  var edgeTypes = Object.keys(RG.edgeTypes);
  if (edgeTypes.length) {
    document.getElementById("rg-edge-section").hidden = false;
    var edgeList = document.getElementById("rg-edge-types");
    edgeTypes.forEach(function (t) {
      var li = document.createElement("li");
      var line = document.createElement("span");
      line.className = "rg-line";
      line.style.background = RG.edgeTypes[t];
      var w = (RG.relations || {})[t];
      var words = document.createElement("span");
      words.className = "rg-relation";
      words.textContent = " " + (w ? w.en + " / " + w.sv : t);
      if (w && w.iri) { words.title = w.iri; }
      li.append(line, words);
      edgeList.appendChild(li);
    });
    var widthNote = document.createElement("li");
    widthNote.className = "rg-note";
    widthNote.textContent = RG.style.edgeWidth === "amount"
      ? "Width: amount granted, where stated (log scale)."
      : "Width: number of shared things.";
    edgeList.appendChild(widthNote);
  }

  (function sizeLegend() {
    var box = document.getElementById("rg-sizes");
    var top = RG.style.sizeMax || 0;
    [1, 0.25, 0.04].forEach(function (share) {
      var fig = document.createElement("figure");
      var dot = document.createElement("span");
      dot.className = "rg-dot";
      var d = Math.round(6 + 24 * Math.sqrt(share));
      dot.style.width = d + "px";
      dot.style.height = d + "px";
      fig.append(dot, document.createTextNode(fmt(top * share)));
      box.appendChild(fig);
    });
    var caption = document.createElement("p");
    caption.id = "rg-size-caption";
    caption.textContent = "Size: " + RG.style.sizeLabel + " (area grows with the value).";
    box.after(caption);
  })();

  var notes = document.getElementById("rg-notes");
  (RG.notes || []).forEach(function (text) {
    var li = document.createElement("li");
    li.textContent = text;
    notes.appendChild(li);
  });

  // -- details panel ----------------------------------------------------------------------
  var panel = document.getElementById("rg-details");
  var panelBody = document.getElementById("rg-details-body");

  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (className) { e.className = className; }
    return e;
  }

  function facts(pairs) {
    var dl = el("dl");
    pairs.forEach(function (p) {
      if (p[1] === undefined || p[1] === null || p[1] === "") { return; }
      dl.append(el("dt", p[0]), el("dd", p[1]));
    });
    return dl;
  }

  function evidenceBlock(ids, more) {
    var box = el("div");
    box.appendChild(el("h4", "Evidence"));
    ids.forEach(function (id) {
      var ev = RG.evidence[id];
      var release = RG.releases[ev[0]];
      if (ev[1]) { box.appendChild(el("blockquote", ev[1])); }
      var source = el("p", null, "rg-source");
      var name = release[0] || release[3];
      source.append(document.createTextNode(name + (release[1] ? " (" + release[1] + ")" : "") + " "));
      if (release[2]) {
        var a = el("a", "open release");
        a.href = release[2];
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        source.appendChild(a);
      } else {
        source.appendChild(el("span", "[" + release[3] + "]", "rg-count"));
      }
      box.appendChild(source);
    });
    if (more) { box.appendChild(el("p", "… and " + more + " more", "rg-note")); }
    return box;
  }

  function showNodeDetails(id) {
    var n = byId[id];
    panelBody.replaceChildren();
    panelBody.appendChild(el("h3", n.label));
    var pairs = [["Type", n.kind + (n.context ? " (context)" : "")]];
    if (n.com !== undefined) { pairs.push(["Community", communityName(n.com)]); }
    pairs.push(["Country", n.country]);
    Object.keys(n.fig || {}).forEach(function (k) { pairs.push([FIGURES[k] || k, fmt(n.fig[k])]); });
    if (n.years) { pairs.push(["Years", yearsText(n.years)]); }
    panelBody.appendChild(facts(pairs));
    var adj = buildAdjacency()[id] || [];
    var linked = adj.map(function (i) { return RG.edges[i]; })
      .sort(function (a, b) { return b.w - a.w || a.r - b.r; });
    if (linked.length) {
      panelBody.appendChild(el("h4", "Strongest links (" + linked.length + ")"));
      var ul = el("ul");
      linked.slice(0, 10).forEach(function (e) {
        var other = byId[e.from === id ? e.to : e.from];
        ul.appendChild(el("li", other.label + " — " + (e.via ? e.via.slice(0, 3).join(", ") : fmt(e.w))));
      });
      panelBody.appendChild(ul);
      var ids = [];
      linked.forEach(function (e) { (e.ev || []).forEach(function (x) { if (ids.indexOf(x) < 0) { ids.push(x); } }); });
      if (ids.length) { panelBody.appendChild(evidenceBlock(ids.slice(0, 6), Math.max(0, ids.length - 6))); }
    }
    panel.hidden = false;
  }

  function showEdgeDetails(index) {
    var e = RG.edges[index];
    panelBody.replaceChildren();
    var arrow = RG.style.directed ? " → " : " — ";
    panelBody.appendChild(el("h3", byId[e.from].label + arrow + byId[e.to].label));
    panelBody.appendChild(facts([
      ["Link", e.t ? relationText(e.t) : ""],
      ["Shared", fmt(e.n || e.w)],
      ["Weight", fmt(e.w)],
      ["Via", e.via ? e.via.join(", ") + (e.more ? " … and " + e.more + " more" : "") : ""],
      ["Amount", e.amount ? amountText(e.amount) : ""],
      ["Years", e.years ? yearsText(e.years) : ""]
    ]));
    if (e.ev) { panelBody.appendChild(evidenceBlock(e.ev, e.evMore || 0)); }
    panel.hidden = false;
  }

  document.getElementById("rg-details-close").addEventListener("click", function () {
    panel.hidden = true;
  });

  // -- search ---------------------------------------------------------------------------
  var names = document.getElementById("rg-names");
  all.slice(0, 2000).map(function (n) { return n.label; }).sort().forEach(function (label) {
    var option = document.createElement("option");
    option.value = label;
    names.appendChild(option);
  });
  var input = document.getElementById("rg-search");
  var status = document.getElementById("rg-search-status");

  function findNode(text) {
    var q = text.trim().toLocaleLowerCase();
    if (!q) { return null; }
    var partial = null;
    for (var i = 0; i < all.length; i++) {
      var label = String(all[i].label).toLocaleLowerCase();
      if (label === q) { return all[i]; }
      if (!partial && label.indexOf(q) >= 0) { partial = all[i]; }
    }
    return partial;  // the best-ranked node whose name contains the text
  }

  function focusNode(text) {
    var n = findNode(text);
    status.textContent = n || !text.trim() ? "" : "not found";
    if (!n) { return; }
    showNode(n);
    if (!visible(n)) {
      setKind(n.kind, true);
      setCommunity(communityKey(n), true);
      if (!yearOk(n.years)) { setYear(null); }
      applyFilters();
    }
    network.selectNodes([n.id]);
    network.focus(n.id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    network.once("animationFinished", relabelSoon);
    showNodeDetails(n.id);
  }

  document.getElementById("rg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    focusNode(input.value);
  });
  input.addEventListener("change", function () { focusNode(input.value); });
  document.getElementById("rg-fit").addEventListener("click", function () {
    network.fit({ animation: { duration: 300 } });
  });
  document.getElementById("rg-more").addEventListener("click", function () {
    showUpTo(shown + RG.step);
  });
  document.getElementById("rg-all").addEventListener("click", function () {
    showUpTo(all.length);
  });

  // -- years ----------------------------------------------------------------------------
  var slider = document.getElementById("rg-year");
  var playing = null;

  function setYear(value) {
    year = value;
    if (!slider) { return; }
    document.getElementById("rg-year-value").textContent = value === null ? "all" : String(value);
    if (value !== null) { slider.value = value; }
  }

  if (slider && RG.style.timeline && RG.years.length) {
    document.body.classList.add("rg-has-timeline");
    slider.min = RG.years[0];
    slider.max = RG.years[RG.years.length - 1];
    slider.value = slider.max;
    setYear(null);
    slider.addEventListener("input", function () { setYear(Number(slider.value)); applyFilters(); });
    document.getElementById("rg-year-only").addEventListener("change", function (event) {
      yearOnly = event.target.checked;
      if (year === null) { setYear(Number(slider.value)); }
      applyFilters();
    });
    document.getElementById("rg-year-all").addEventListener("click", function () {
      setYear(null);
      applyFilters();
    });
    document.getElementById("rg-play").addEventListener("click", function () {
      if (playing) { clearInterval(playing); playing = null; return; }
      var y = RG.years[0];
      setYear(y);
      applyFilters();
      playing = setInterval(function () {
        y += 1;
        if (y > RG.years[RG.years.length - 1]) { clearInterval(playing); playing = null; return; }
        setYear(y);
        applyFilters();
      }, 900);
    });
  } else if (slider) {
    document.getElementById("rg-timeline").hidden = true;
  }

  // -- labels ---------------------------------------------------------------------------
  // A label is drawn for the best-ranked nodes whose label box (estimated from the text
  // width, with a margin) neither overlaps an earlier one nor leaves the drawing; the
  // rest show their name on hover, and again after a zoom when there is room.
  var measure = document.createElement("canvas").getContext("2d");
  var READABLE_PX = 6;   // vis draws a label from drawThreshold - 1 screen pixels
  var LARGEST_PX = 20;   // no label larger than this on screen
  var shownFont = {};    // node id -> the font size its label is drawn at

  function labelBox(n, font) {
    measure.font = font + "px system-ui, sans-serif";
    var width = measure.measureText(n.label).width;
    var pad = 0.35 * font + 3 / network.getScale();
    var top = n.y + n.size;
    var a = network.canvasToDOM({ x: n.x - width / 2 - pad, y: top - pad });
    var b = network.canvasToDOM({ x: n.x + width / 2 + pad, y: top + 1.3 * font + pad });
    return { left: a.x, top: a.y, right: b.x, bottom: b.y };
  }

  function placeLabels(limit) {
    var scale = network.getScale();
    var frame = document.getElementById("mynetwork");
    var width = frame.clientWidth;
    var height = frame.clientHeight;
    var ids = nodes.getIds().filter(function (id) { return visible(byId[id]); })
      .sort(function (x, y) {
        return (byId[y].centre ? 1 : 0) - (byId[x].centre ? 1 : 0) || byId[x].i - byId[y].i;
      });
    var taken = [];
    var next = {};
    var fonts = {};
    ids.forEach(function (id) {
      var n = byId[id];
      var font = Math.min(n.font, LARGEST_PX / scale);
      if (taken.length >= limit || font * scale < READABLE_PX) { return; }
      var box = labelBox(n, font);
      if (box.left < 0 || box.top < 0 || box.right > width || box.bottom > height) { return; }
      var clash = taken.some(function (t) {
        return box.left < t.right && t.left < box.right && box.top < t.bottom && t.top < box.bottom;
      });
      if (!clash) { taken.push(box); next[id] = true; fonts[id] = font; }
    });
    var changes = [];
    ids.concat(Object.keys(labelled)).forEach(function (id) {
      if (!nodes.get(id)) { return; }
      if (!!next[id] !== !!labelled[id] || (next[id] && fonts[id] !== shownFont[id])) {
        changes.push(next[id] ? { id: id, label: byId[id].label, font: { size: fonts[id] } }
          : { id: id, label: "" });
      }
    });
    labelled = next;
    shownFont = fonts;
    if (changes.length) { nodes.update(changes); }
    return Object.keys(labelled).length;
  }
  window.regiongraphPlaceLabels = placeLabels;

  // -- ego mode: overview.html#ego=IRI draws one actor and its partners -------------------
  function egoFromHash() {
    var m = /(?:^#|&)ego=([^&]+)/.exec(window.location.hash);
    if (!m) { return null; }
    var n = byId[decodeURIComponent(m[1])];
    if (!n) { status.textContent = "not in this network"; return null; }
    return n;
  }

  function showEgo(n) {
    var adj = buildAdjacency();
    n.centre = true;
    showNode(n);
    (adj[n.id] || []).forEach(function (i) {
      var e = RG.edges[i];
      showNode(byId[e.from === n.id ? e.to : e.from]);
    });
    document.querySelector("#rg-header h1").textContent = "Ego network — " + n.label;
    document.title = "Ego network — " + n.label;
  }

  // -- draw -----------------------------------------------------------------------------
  var ego = egoFromHash();
  if (ego) { showEgo(ego); } else { showUpTo(RG.initial); }
  window.addEventListener("hashchange", function () { window.location.reload(); });
  network = new vis.Network(
    document.getElementById("mynetwork"), { nodes: nodes, edges: edges }, RG.options);
  network.once("afterDrawing", function () {
    if (ego) { network.fit({ nodes: nodes.getIds(), minZoomLevel: 0.05, maxZoomLevel: 2 }); }
    placeLabels(RG.labels);
    network.once("afterDrawing", function () { window.regiongraphReady = true; });
    network.redraw();
  });
  var relabel = null;
  function relabelSoon() {
    clearTimeout(relabel);
    relabel = setTimeout(function () { placeLabels(4 * RG.labels); }, 150);
  }
  network.on("zoom", relabelSoon);
  network.on("dragEnd", relabelSoon);
  network.on("click", function (params) {
    if (params.nodes.length) { showNodeDetails(params.nodes[0]); }
    else if (params.edges.length) { showEdgeDetails(params.edges[0]); }
    else { panel.hidden = true; }
  });
})();
