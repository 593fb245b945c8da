// diplograph explorer: the controls of graph.html (kinds, relations, dates, search, view).
// The page's data is the JSON in <script id="dg-data" type="application/json">; this script
// never turns data into markup: text reaches the page through textContent, and vis-network
// shows the string tooltips with innerText. The CSP allows this script by its sha256 hash.
(function () {
  "use strict";

  // performance marks (dg:data, dg:views, dg:network, dg:drawn) time the start-up stages.
  performance.mark("dg:start");
  var raw = JSON.parse(document.getElementById("dg-data").textContent);
  performance.mark("dg:data");
  var el = function (id) { return document.getElementById(id); };
  var state = { view: raw.initial, kinds: {}, relations: {}, from: "", to: "", query: "" };
  var views = {};
  var network = null;
  var dg = { ready: null, applied: 0, state: state, views: views };
  window.dg = dg;

  function inRange(lo, hi) {
    if (!lo) { return true; }
    if (state.from && hi < state.from) { return false; }
    if (state.to && lo > state.to) { return false; }
    return true;
  }

  function nodePasses(n) {
    return state.kinds[n.k] !== false && inRange(n.lo, n.hi);
  }

  function edgePasses(e) {
    return state.relations[e.r] !== false && inRange(e.lo, e.hi);
  }

  function prepare(name) {
    var spec = raw.views[name];
    var view = { name: name, spec: spec, visible: new Set(), shownEdges: 0, matches: [] };
    var adjacent = new Map();
    spec.edges.forEach(function (e) {
      [[e.from, e.to], [e.to, e.from]].forEach(function (pair) {
        if (!adjacent.has(pair[0])) { adjacent.set(pair[0], []); }
        adjacent.get(pair[0]).push({ other: pair[1], edge: e });
      });
    });
    view.adjacent = adjacent;
    view.relations = new Set(spec.edges.map(function (e) { return e.r; }));
    view.nodes = new vis.DataSet(spec.nodes);
    view.edges = new vis.DataSet(spec.edges);
    compute(view);
    view.nodeView = new vis.DataView(view.nodes, {
      filter: function (n) { return view.visible.has(n.id); }
    });
    view.edgeView = new vis.DataView(view.edges, {
      filter: function (e) {
        return edgePasses(e) && view.visible.has(e.from) && view.visible.has(e.to);
      }
    });
    return view;
  }

  // Which nodes pass the filters; with a search, the matches and their neighbours.
  function compute(view) {
    var passing = new Set();
    view.spec.nodes.forEach(function (n) { if (nodePasses(n)) { passing.add(n.id); } });
    var q = state.query;
    if (!q) {
      view.visible = passing;
      view.matches = [];
      return;
    }
    var visible = new Set();
    var matches = [];
    view.spec.nodes.forEach(function (n) {
      if (passing.has(n.id) && n.s.indexOf(q) !== -1) { matches.push(n.id); }
    });
    matches.forEach(function (id) {
      visible.add(id);
      (view.adjacent.get(id) || []).forEach(function (link) {
        if (passing.has(link.other) && edgePasses(link.edge)) { visible.add(link.other); }
      });
    });
    view.visible = visible;
    view.matches = matches;
  }

  function count(view) {
    var spec = view.spec;
    var nodes = view.nodeView.length;
    var edges = view.edgeView.length;
    var text = "Showing " + nodes.toLocaleString("en") + " of " +
      spec.nodes.length.toLocaleString("en") + " nodes and " + edges.toLocaleString("en") +
      " of " + spec.edges.length.toLocaleString("en") + " edges";
    if (state.query) {
      text += view.matches.length
        ? "; " + view.matches.length.toLocaleString("en") + " match the search (selected)"
        : "; nothing matches the search";
    }
    var counter = el("dg-count");
    counter.textContent = text + ".";
    counter.dataset.nodes = String(nodes);
    counter.dataset.edges = String(edges);
    counter.dataset.matches = String(view.matches.length);
  }

  function apply(refit) {
    var view = views[state.view];
    compute(view);
    view.nodeView.refresh();
    view.edgeView.refresh();
    if (network) {
      if (view.matches.length) {
        network.selectNodes(view.matches, false);
        if (refit) { network.fit({ nodes: view.matches, animation: false }); }
      } else {
        network.unselectAll();
        if (refit) { network.fit({ animation: false }); }
      }
    }
    count(view);
    dg.applied += 1;
  }

  function show(name) {
    if (!views[name]) { views[name] = prepare(name); }
    state.view = name;
    var view = views[name];
    el("dg-note").textContent = view.spec.note;
    el("dg-note").hidden = !view.spec.note;
    // The legend lists the relations this view has.
    document.querySelectorAll("input[data-relation]").forEach(function (box) {
      box.parentNode.hidden = !view.relations.has(box.dataset.relation);
    });
    apply(false);
    if (network) {
      network.setOptions({ physics: { enabled: view.spec.physics } });
      network.setData({ nodes: view.nodeView, edges: view.edgeView });
      if (view.matches.length) { network.selectNodes(view.matches, false); }
    }
  }

  function readControls() {
    document.querySelectorAll("input[data-kind]").forEach(function (box) {
      state.kinds[box.dataset.kind] = box.checked;
    });
    document.querySelectorAll("input[data-relation]").forEach(function (box) {
      state.relations[box.dataset.relation] = box.checked;
    });
    state.from = el("dg-from").value || "";
    state.to = el("dg-to").value || "";
    state.query = el("dg-search").value.trim().toLowerCase();
  }

  function reset() {
    document.querySelectorAll("input[data-kind], input[data-relation]").forEach(function (box) {
      box.checked = true;
    });
    el("dg-from").value = "";
    el("dg-to").value = "";
    el("dg-search").value = "";
    readControls();
    apply(true);
  }

  readControls();
  show(state.view);
  performance.mark("dg:views");
  var first = views[state.view];
  network = new vis.Network(
    el("mynetwork"),
    { nodes: first.nodeView, edges: first.edgeView },
    Object.assign({}, raw.options, { physics: Object.assign({}, raw.options.physics, {
      enabled: first.spec.physics
    }) })
  );
  dg.network = network;
  performance.mark("dg:network");
  network.once("afterDrawing", function () {
    performance.mark("dg:drawn");
    dg.ready = performance.now();
    document.body.dataset.ready = "1";
  });

  document.querySelectorAll("input[data-kind], input[data-relation]").forEach(function (box) {
    box.addEventListener("change", function () { readControls(); apply(false); });
  });
  ["dg-from", "dg-to"].forEach(function (id) {
    el(id).addEventListener("change", function () { readControls(); apply(false); });
  });
  // On big views a search costs a few hundred ms: wait for a pause in the typing.
  var typing = null;
  el("dg-search").addEventListener("input", function () {
    clearTimeout(typing);
    if (views[state.view].spec.nodes.length <= raw.debounce_over) {
      readControls();
      apply(true);
    } else {
      typing = setTimeout(function () { readControls(); apply(true); }, 200);
    }
  });
  el("dg-search").addEventListener("keydown", function (event) {
    var view = views[state.view];
    if (event.key === "Enter" && view.matches.length) {
      network.focus(view.matches[0], { scale: 1.2, animation: false });
    }
  });
  el("dg-reset").addEventListener("click", reset);
  document.querySelectorAll("input[name=dg-view]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (radio.checked) { show(radio.value); }
    });
  });
}());
