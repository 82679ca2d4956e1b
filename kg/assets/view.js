/* kg viz: draws the graph embedded in #kg-data with vis-network, and wires the legend, search,
   filters and evidence panel. Text from the graph is only ever set with textContent, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodeById = {}, edgeById = {}, groupById = {}, kindById = {}, relationById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });
  data.edges.forEach(function (e) { edgeById[e.id] = e; });
  data.groups.forEach(function (g) { groupById[g.id] = g; });
  data.kinds.forEach(function (k) { kindById[k.id] = k; });
  data.relations.forEach(function (r) { relationById[r.id] = r; });
  var state = { colorBy: data.colorBy, kinds: {}, reports: {}, relations: {} };
  data.kinds.forEach(function (k) { state.kinds[k.id] = true; });
  data.reports.forEach(function (r, i) { state.reports[i] = true; });
  data.relations.forEach(function (r) { state.relations[r.id] = true; });

  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (className) { e.className = className; }
    return e;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function colourOf(n) {
    if (state.colorBy === "community") { return data.palette[n.community % data.palette.length]; }
    if (state.colorBy === "report") {
      return n.reports.length === 1 ? data.reports[n.reports[0]].color : data.severalReports;
    }
    return groupById[n.group].color;
  }

  function nodeColour(n) {
    var c = colourOf(n);
    return { background: c, border: "#333333", highlight: { background: c, border: "#000000" },
             hover: { background: c, border: "#000000" } };
  }

  function nodeTip(n) {
    var tip = el("div", null, "kg-tip");
    tip.appendChild(el("strong", n.name));
    tip.appendChild(el("div", groupById[n.group].label, "muted"));
    if (n.kind === "actor" || n.kind === "topic") { tip.appendChild(el("div", "mentioned " + plural(n.mentions, "time"))); }
    tip.appendChild(el("div", plural(n.degree, "link")));
    tip.appendChild(el("div", "Click for the evidence (" + plural(n.evidenceTotal, "sentence") + ").", "muted"));
    return tip;
  }

  function edgeTip(e) {
    var tip = el("div", null, "kg-tip");
    tip.appendChild(el("strong", nodeById[e.from].name + " — " + e.relation + " — " + nodeById[e.to].name));
    if (e.weight > 1) { tip.appendChild(el("div", "weight " + e.weight)); }
    tip.appendChild(el("div", "Click for the evidence (" + plural(e.evidenceTotal, "sentence") + ").", "muted"));
    return tip;
  }

  var visNodes = new vis.DataSet(data.nodes.map(function (n) {
    var item = { id: n.id, label: n.label, shape: n.shape || kindById[n.kind].shape, size: n.size, color: nodeColour(n),
                 title: nodeTip(n), font: { size: n.kind === "report" ? 16 : 13, color: n.kind === "report" || n.shape === "box" ? "#ffffff" : "#222222" } };
    if (n.kind === "report") { item.margin = 8; }
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; item.fixed = true; }
    return item;
  }));
  var visEdges = new vis.DataSet(data.edges.map(function (e) {
    var r = relationById[e.relation];
    return { id: e.id, from: e.from, to: e.to, label: data.edgeLabels ? e.relation : undefined, title: edgeTip(e),
             length: e.relation === "mentioned in" ? 180 : undefined,
             width: (r.dashes ? 0.6 : 1) * (1 + Math.log2(e.weight)), dashes: r.dashes, arrows: r.arrows ? "to" : "",
             color: { color: r.color, highlight: "#000000", hover: "#000000" } };
  }));

  function nodeShown(n) {
    if (!state.kinds[n.kind]) { return false; }
    if (n.reports.length === 0) { return true; }
    return n.reports.some(function (r) { return state.reports[r]; });
  }
  var nodeView = new vis.DataView(visNodes, { filter: function (item) { return nodeShown(nodeById[item.id]); } });
  var edgeView = new vis.DataView(visEdges, { filter: function (item) {
    var e = edgeById[item.id];
    return state.relations[e.relation] && nodeShown(nodeById[e.from]) && nodeShown(nodeById[e.to]);
  } });

  var big = data.nodes.length > 1000;
  var options = {
    layout: { randomSeed: 7, improvedLayout: !big },
    physics: data.physics ? {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -110, centralGravity: 0.025, springLength: 110, springConstant: 0.05,
                          avoidOverlap: 0.5 },
      stabilization: { enabled: true, iterations: big ? 250 : 800, updateInterval: 25, fit: true },
      minVelocity: 1
    } : false,
    nodes: { borderWidth: 1, font: { face: "system-ui, DejaVu Sans, sans-serif" } },
    edges: { smooth: false, selectionWidth: 2, arrowStrikethrough: false,
             font: { size: 9, color: "#555555", strokeWidth: 3, strokeColor: "#fafafa", align: "middle" } },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big, keyboard: false }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  var status = document.getElementById("status");
  window.kg = { data: data, network: network, nodes: nodeView, edges: edgeView, ready: false };

  function ready() {
    if (window.kg.ready) { return; }
    network.setOptions({ physics: false });  // laid out once: nothing moves afterwards
    window.kg.ready = true;
    status.textContent = "";
    document.body.setAttribute("data-ready", "true");
  }
  if (data.physics) {
    network.on("stabilizationProgress", function (p) {
      status.textContent = "Laying out the graph… " + Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", ready);
  } else {
    network.once("afterDrawing", function () { network.fit(); ready(); });
  }

  /* ---------------------------------------------------------------- legend and filters */
  function legend() {
    var ul = document.getElementById("legend-nodes");
    ul.textContent = "";
    var entries;
    if (state.colorBy === "community") {
      var seen = {};
      entries = [];
      data.nodes.forEach(function (n) {
        if (!seen[n.community]) { seen[n.community] = 0; }
        seen[n.community] += 1;
      });
      Object.keys(seen).map(Number).sort(function (a, b) { return a - b; }).forEach(function (c) {
        entries.push({ label: "community " + (c + 1) + " (" + plural(seen[c], "node") + ")",
                       color: data.palette[c % data.palette.length], shape: "dot" });
      });
    } else if (state.colorBy === "report") {
      entries = data.reports.map(function (r) { return { label: r.label, color: r.color, shape: "box" }; });
      entries.push({ label: "several reports", color: data.severalReports, shape: "box" });
    } else {
      entries = data.groups.map(function (g) { return { label: g.label, color: g.color, shape: g.shape }; });
    }
    entries.forEach(function (e) {
      var li = el("li");
      var sw = el("span", null, "swatch " + e.shape);
      sw.style.background = e.color;
      sw.style.color = e.color;
      li.appendChild(sw);
      li.appendChild(document.createTextNode(e.label));
      ul.appendChild(li);
    });
    if (state.colorBy !== "type") {
      var shapes = el("li", "Shapes: " + data.kinds.map(function (k) { return k.label + " " + k.shape; }).join(", "), "help");
      ul.appendChild(shapes);
    }
    var lines = document.getElementById("legend-edges");
    lines.textContent = "";
    data.relations.forEach(function (r) {
      var li = el("li");
      var line = el("span", null, "line" + (r.dashes ? " dashed" : ""));
      line.style.borderColor = r.color;
      li.appendChild(line);
      li.appendChild(document.createTextNode(r.id + (r.arrows ? " →" : "")));
      lines.appendChild(li);
    });
  }

  function checkbox(parent, label, checked, onChange) {
    var l = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); nodeView.refresh(); edgeView.refresh(); });
    l.appendChild(box);
    l.appendChild(document.createTextNode(" " + label));
    parent.appendChild(l);
  }

  var kindCounts = {};
  data.nodes.forEach(function (n) { kindCounts[n.kind] = (kindCounts[n.kind] || 0) + 1; });
  data.kinds.forEach(function (k) {
    checkbox(document.getElementById("filter-kinds"), k.label + "s (" + kindCounts[k.id] + ")", true,
             function (on) { state.kinds[k.id] = on; });
  });
  data.reports.forEach(function (r, i) {
    checkbox(document.getElementById("filter-reports"), r.label, true, function (on) { state.reports[i] = on; });
  });
  data.relations.forEach(function (r) {
    checkbox(document.getElementById("filter-relations"), r.id, true, function (on) { state.relations[r.id] = on; });
  });
  if (data.reports.length < 2) { document.getElementById("filter-reports").hidden = true; }

  var colourSelect = document.getElementById("color-by");
  colourSelect.value = state.colorBy;
  colourSelect.addEventListener("change", function () {
    state.colorBy = colourSelect.value;
    visNodes.update(data.nodes.map(function (n) { return { id: n.id, color: nodeColour(n) }; }));
    legend();
  });
  legend();

  /* ---------------------------------------------------------------- evidence panel */
  var panel = document.getElementById("panel");

  function evidenceList(item) {
    var box = el("section");
    box.appendChild(el("h2", "Evidence (" + plural(item.evidenceTotal, "sentence") + ")"));
    if (item.evidenceTotal === 0) { box.appendChild(el("p", "No sentence: this link comes from the topic scheme.", "help")); }
    item.evidence.forEach(function (i) {
      var s = data.sentences[i];
      var q = el("blockquote", s[0]);
      var report = s[1] >= 0 ? data.reports[s[1]].label : "";
      q.appendChild(el("cite", "— " + report + ", sentence " + s[2]));
      box.appendChild(q);
    });
    if (item.evidenceTotal > item.evidence.length) {
      box.appendChild(el("p", "… and " + plural(item.evidenceTotal - item.evidence.length, "more sentence") +
                              " (a page keeps the first " + item.evidence.length + ").", "help"));
    }
    return box;
  }

  function facts(rows) {
    var dl = el("dl");
    rows.forEach(function (r) {
      if (r[1] === "" || r[1] === undefined) { return; }
      dl.appendChild(el("dt", r[0]));
      dl.appendChild(el("dd", String(r[1])));
    });
    return dl;
  }

  function goTo(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: { duration: 300 } });
    showNode(id);
  }

  function showNode(id) {
    var n = nodeById[id];
    panel.textContent = "";
    panel.appendChild(el("h2", n.name));
    panel.appendChild(el("p", groupById[n.group].label, "kind"));
    var rows = n.info.slice();
    if (n.kind === "actor" || n.kind === "topic") { rows.push(["mentions", n.mentions]); }
    rows.push(["links", n.degree], ["betweenness", n.betweenness.toFixed(3)], ["community", n.community + 1]);
    rows.push(["reports", n.reports.map(function (r) { return data.reports[r].label; }).join("; ")]);
    panel.appendChild(facts(rows));
    panel.appendChild(el("code", n.id));
    panel.appendChild(evidenceList(n));
    var neighbours = network.getConnectedNodes(id).slice().sort(function (a, b) {
      return nodeById[a].name.localeCompare(nodeById[b].name);
    });
    if (neighbours.length) {
      panel.appendChild(el("h2", "Linked to (" + neighbours.length + ")"));
      var ul = el("ul");
      neighbours.slice(0, 40).forEach(function (other) {
        var li = el("li");
        var b = el("button", nodeById[other].name, "link");
        b.type = "button";
        b.addEventListener("click", function () { goTo(other); });
        li.appendChild(b);
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
  }

  function showEdge(id) {
    var e = edgeById[id];
    panel.textContent = "";
    panel.appendChild(el("h2", nodeById[e.from].name + " — " + e.relation + " — " + nodeById[e.to].name));
    panel.appendChild(el("p", "link: " + e.relation, "kind"));
    panel.appendChild(facts([["weight", e.weight], ["from", nodeById[e.from].name], ["to", nodeById[e.to].name]]));
    panel.appendChild(evidenceList(e));
  }

  network.on("click", function (p) {
    if (p.nodes.length) { showNode(p.nodes[0]); } else if (p.edges.length) { showEdge(p.edges[0]); }
  });
  window.kg.showNode = showNode;
  window.kg.showEdge = showEdge;

  /* ---------------------------------------------------------------- search */
  var search = document.getElementById("search");
  var result = document.getElementById("search-result");
  var names = document.getElementById("node-names");
  data.nodes.slice().sort(function (a, b) { return a.name.localeCompare(b.name); }).forEach(function (n) {
    if (n.kind !== "commitment") {
      var o = el("option");
      o.value = n.name;
      names.appendChild(o);
    }
  });

  function find() {
    var q = search.value.trim().toLowerCase();
    if (!q) { result.textContent = ""; return; }
    var ranked = data.nodes.filter(function (n) { return n.name.toLowerCase().indexOf(q) >= 0; });
    ranked.sort(function (a, b) {
      var ea = a.name.toLowerCase() === q ? 0 : 1, eb = b.name.toLowerCase() === q ? 0 : 1;
      return ea - eb || b.degree - a.degree || a.name.localeCompare(b.name);
    });
    if (!ranked.length) { result.textContent = "No node matches “" + search.value.trim() + "”."; return; }
    var n = ranked[0];
    if (!nodeShown(n)) { result.textContent = n.name + " is hidden by the filters."; return; }
    result.textContent = ranked.length === 1 ? "Found " + n.name + "." : "Found " + n.name + " (" + ranked.length + " matches).";
    goTo(n.id);
  }
  search.addEventListener("change", find);
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { find(); } });
}());
