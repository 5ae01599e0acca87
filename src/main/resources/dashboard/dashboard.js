// Winnow's dashboard: one page, three views (#/, #/loop/ns/name, #/dataset/ns/name). Each view is a
// Server-Sent Events stream of JSON that the server pushes again whenever the cluster changes it.
// Everything from the cluster goes into the page as text, never as HTML.
"use strict";

let source = null;
let chart = null;
let lastList = null;
let lastMapVersion = null;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function link(href, text) { return el("a", {href}, text); }
function loopHref(ns, name) { return "#/loop/" + encodeURIComponent(ns) + "/" + encodeURIComponent(name); }
function datasetHref(ns, name) { return "#/dataset/" + encodeURIComponent(ns) + "/" + encodeURIComponent(name); }
function phase(p) { return p ? el("span", {class: "phase " + p}, p) : el("span", {class: "muted"}, "—"); }
function num(v, digits) { return v === undefined || v === null ? "—" : digits === undefined ? String(v) : Number(v).toFixed(digits); }

function age(iso) {
  if (!iso) return "—";
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 120) return Math.floor(s) + "s";
  if (s < 7200) return Math.floor(s / 60) + "m";
  if (s < 172800) return Math.floor(s / 3600) + "h";
  return Math.floor(s / 86400) + "d";
}

function table(headers, rows) {
  return el("table", {class: "grid"},
    el("thead", {}, el("tr", {}, headers.map(h => el("th", {class: h.num ? "num" : null}, h.title || h)))),
    el("tbody", {}, rows));
}

function troubleList(items) {
  return items.map(t => el("div", {class: "trouble " + t.state},
    t.kind + "/" + t.name + " " + t.state.toLowerCase() + ": " + (t.reason || "") + (t.message ? " — " + t.message : "")));
}

function problems(list) {
  return list && list.length ? el("div", {class: "problems", id: "problems"}, list.map(p => el("div", {}, p))) : null;
}

function show(...parts) {
  // replaceChildren would print an absent part as the text "null"
  document.getElementById("main").replaceChildren(...parts.filter(p => p !== null && p !== undefined));
}

function setCrumbs(...parts) {
  document.getElementById("crumbs").replaceChildren(...parts.flatMap((p, i) => i ? [" / ", p] : [p]));
}

// ---- the list of loops

function renderList(page) {
  lastList = page;
  setCrumbs("loops");
  const body = [problems(page.problems)];
  if (!page.namespaces.length) {
    body.push(el("p", {class: "muted", id: "empty"}, "No ActiveLearningLoop you may see yet."));
  }
  for (const ns of page.namespaces) {
    body.push(el("h2", {}, "namespace " + ns.name));
    body.push(table(["Loop", "Phase", "Stage", {title: "Round", num: 1}, {title: "Labeled", num: 1},
                     {title: "Last metric", num: 1}, {title: "Age", num: 1}, "Trouble"],
      ns.loops.map(l => el("tr", {"data-loop": l.namespace + "/" + l.name},
        el("td", {}, link(loopHref(l.namespace, l.name), l.name)),
        el("td", {class: "phase-cell"}, phase(l.phase)),
        el("td", {}, l.stage || ""),
        el("td", {class: "num"}, num(l.round)),
        el("td", {class: "num"}, num(l.labeled)),
        el("td", {class: "num"}, l.lastMetric === undefined ? "—" : num(l.lastMetric, 4) + " " + (l.metricName || "")),
        el("td", {class: "num"}, age(l.created)),
        el("td", {class: "trouble-cell"}, troubleList(l.trouble || []))))));
  }
  show(el("h1", {}, "Active learning loops"), ...body);
}

// ---- one loop

const PALETTE = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#bc4c00", "#0a7ea4", "#bf3989", "#57606a"];

function seriesFor(lines) {
  const strategies = [...new Set(lines.map(l => l.strategy))];
  const color = s => PALETTE[strategies.indexOf(s) % PALETTE.length];
  return lines.map(l => {
    const c = color(l.strategy);
    if (l.role === "self") return {label: l.label, stroke: c, width: 3, spanGaps: true, points: {size: 7}};
    if (l.role === "loop") return {label: l.label, stroke: c + "88", width: 1, spanGaps: true, points: {size: 4}};
    if (l.role === "mean") return {label: l.label, stroke: c, width: 2, dash: [6, 4], spanGaps: true, points: {show: false}};
    return {label: l.label, stroke: "transparent", width: 0, spanGaps: true, points: {show: false}};
  });
}

function bandsFor(lines) {
  const bands = [];
  lines.forEach((l, i) => {
    if (l.role === "upper") {
      const lower = lines.findIndex(m => m.role === "lower" && m.strategy === l.strategy);
      const c = PALETTE[[...new Set(lines.map(x => x.strategy))].indexOf(l.strategy) % PALETTE.length];
      if (lower >= 0) bands.push({series: [i + 1, lower + 1], fill: c + "22"});
    }
  });
  return bands;
}

function drawCurve(container, curve) {
  const self = curve.lines.find(l => l.role === "self");
  const points = self ? self.values.filter(v => v !== null).length : 0;
  container.setAttribute("data-points", String(points));
  const data = [curve.labeled, ...curve.lines.map(l => l.values)];
  const shape = curve.metric + "|" + curve.lines.map(l => l.label + ":" + l.role).join(",");
  if (chart && chart.shape === shape && container.contains(chart.root)) {
    chart.setData(data);
    return;
  }
  if (chart) chart.destroy();
  container.replaceChildren();
  if (!curve.labeled.length) {
    chart = null;
    container.append(el("p", {class: "muted"}, "No trained round yet: the curve starts when the first round reports " + curve.metric + "."));
    return;
  }
  const width = Math.min(1000, Math.max(360, container.clientWidth || 900));
  chart = new uPlot({
    width, height: 320,
    scales: {x: {time: false}},
    axes: [{label: "labeled samples"}, {label: curve.metric, size: 60}],
    series: [{label: "labeled"}, ...seriesFor(curve.lines)],
    bands: bandsFor(curve.lines),
  }, data, container);
  chart.shape = shape;
}

function renderLoop(page, ns, name) {
  setCrumbs(link("#/", "loops"), "namespace " + ns, name);
  const main = document.getElementById("main");
  if (!page) {
    if (chart) { chart.destroy(); chart = null; }
    main.replaceChildren(el("h1", {}, name), el("p", {class: "muted", id: "missing"},
      "No loop " + ns + "/" + name + ", or you may not see it."));
    return;
  }
  const l = page.loop;
  let curveBox = document.getElementById("curve");
  const keep = curveBox && curveBox.getAttribute("data-loop") === ns + "/" + name;
  if (!keep) curveBox = el("div", {id: "curve", "data-loop": ns + "/" + name});
  const rounds = page.rounds.map(r => el("tr", {"data-round": r.round},
    el("td", {class: "num"}, r.round),
    el("td", {}, r.trainingRun || "—", " ", r.trainingPhase ? phase(r.trainingPhase) : ""),
    el("td", {class: "num"}, num(r.trainedOn)),
    el("td", {class: "num"}, r.metric === undefined ? "—" : num(r.metric, 4)),
    el("td", {}, r.selectionRound || "—", " ", r.selectionPhase ? phase(r.selectionPhase) : ""),
    el("td", {class: "num"}, r.selectSeconds === undefined ? "—" : num(r.selectSeconds, 1) + " s"),
    el("td", {class: "num"}, num(r.picks)),
    el("td", {class: "num"}, num(r.labeled)),
    el("td", {class: "num"}, num(r.skipped)),
    el("td", {class: "num"}, num(r.open))));
  show(
    el("h1", {}, l.name, " ", phase(l.phase)),
    el("div", {class: "facts"},
      el("div", {}, el("span", {}, "namespace"), l.namespace),
      el("div", {}, el("span", {}, "dataset"), page.dataset ? link(datasetHref(l.namespace, page.dataset), page.dataset) : "—"),
      el("div", {}, el("span", {}, "stage"), l.stage || "—"),
      el("div", {}, el("span", {}, "round"), num(l.round)),
      el("div", {}, el("span", {}, "labeled"), num(l.labeled)),
      el("div", {}, el("span", {}, "last " + (l.metricName || "metric")), num(l.lastMetric, 4)),
      el("div", {}, el("span", {}, "age"), age(l.created)),
      page.stopReason ? el("div", {}, el("span", {}, "stopped"), page.stopReason) : null),
    page.message ? el("p", {class: "muted", id: "message"}, page.message) : null,
    el("div", {id: "trouble"}, troubleList(l.trouble || [])),
    el("h2", {}, "Learning curve: " + page.curve.metric + " against labels"),
    curveBox,
    el("h2", {}, "Rounds"),
    table([{title: "Round", num: 1}, "TrainingRun", {title: "Trained on", num: 1}, {title: page.curve.metric, num: 1},
           "SelectionRound", {title: "Selection", num: 1}, {title: "Picks", num: 1}, {title: "Labeled", num: 1},
           {title: "Skipped", num: 1}, {title: "Open", num: 1}], rounds),
    el("h2", {}, "Conditions"),
    table(["Type", "Status", "Reason", "Message", "Since"], page.conditions.map(c => el("tr", {},
      el("td", {}, c.type), el("td", {}, c.status), el("td", {}, c.reason || ""), el("td", {}, c.message || ""),
      el("td", {}, c.since ? age(c.since) + " ago" : "")))),
    el("h2", {}, "Events"),
    page.events.length ? table(["Type", "Reason", "Object", "Message", "Last"], page.events.map(e => el("tr", {},
      el("td", {}, e.type || ""), el("td", {}, e.reason || ""), el("td", {}, e.object), el("td", {}, e.message || ""),
      el("td", {}, e.last ? age(e.last) + " ago" : "")))) : el("p", {class: "muted"}, "No events you may see."));
  drawCurve(curveBox, page.curve);
}

// ---- one Dataset

function renderDataset(page, ns, name) {
  setCrumbs(link("#/", "loops"), "namespace " + ns, "dataset " + name);
  const main = document.getElementById("main");
  if (!page) {
    main.replaceChildren(el("h1", {}, name), el("p", {class: "muted", id: "missing"},
      "No Dataset " + ns + "/" + name + ", or you may not see it."));
    return;
  }
  let map = document.getElementById("map");
  if (!map || map.getAttribute("data-dataset") !== ns + "/" + name) {
    map = el("div", {id: "map", class: "map", "data-dataset": ns + "/" + name});
    lastMapVersion = null;
  }
  show(
    el("h1", {}, "Dataset " + page.name, " ", phase(page.phase)),
    el("div", {class: "facts"},
      el("div", {}, el("span", {}, "namespace"), page.namespace),
      el("div", {}, el("span", {}, "samples"), num(page.samples)),
      el("div", {}, el("span", {}, "labeled"), num(page.labeled)),
      el("div", {}, el("span", {}, "artifacts"), page.artifacts || "—")),
    el("h2", {}, "Pool map"),
    map,
    el("h2", {}, "Loops on it"),
    page.loops.length ? el("ul", {}, page.loops.map(n => el("li", {}, link(loopHref(page.namespace, n), n))))
      : el("p", {class: "muted"}, "None you may see."),
    el("h2", {}, "Tags"),
    table(["Tag", {title: "Samples", num: 1}], page.tags.map(t => el("tr", {}, el("td", {}, t.name), el("td", {class: "num"}, num(t.count))))),
    el("h2", {}, "Conditions"),
    table(["Type", "Status", "Reason", "Message"], page.conditions.map(c => el("tr", {},
      el("td", {}, c.type), el("td", {}, c.status), el("td", {}, c.reason || ""), el("td", {}, c.message || "")))));
  if (page.mapWhyNot) {
    lastMapVersion = null;
    map.replaceChildren(el("p", {class: "muted", id: "map-why-not"}, page.mapWhyNot));
  } else if (page.mapVersion !== lastMapVersion) {
    lastMapVersion = page.mapVersion;
    if (!map.firstChild) map.append(el("p", {class: "muted"}, "Drawing the pool map…"));
    fetch("/api/map?ns=" + encodeURIComponent(ns) + "&name=" + encodeURIComponent(name))
      .then(r => r.json())
      .then(m => map.replaceChildren(m.svg
        ? el("img", {alt: "pool map of " + name, src: "data:image/svg+xml;charset=utf-8," + encodeURIComponent(m.svg)})
        : el("p", {class: "muted", id: "map-why-not"}, m.whyNot)));
  }
}

// ---- routing and the live stream

function route() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  let query, render;
  if ((parts[0] === "loop" || parts[0] === "dataset") && parts.length === 3) {
    const [view, ns, name] = parts;
    query = "view=" + view + "&ns=" + encodeURIComponent(ns) + "&name=" + encodeURIComponent(name);
    render = data => (view === "loop" ? renderLoop : renderDataset)(data, ns, name);
  } else {
    query = "view=list";
    render = renderList;
  }
  if (source) source.close();
  if (chart) { chart.destroy(); chart = null; }
  lastList = null;
  document.getElementById("main").replaceChildren(el("p", {class: "muted"}, "Loading…"));
  const live = document.getElementById("live");
  source = new EventSource("/api/stream?" + query);
  source.onopen = () => { live.className = "live on"; live.textContent = "live"; };
  source.onerror = () => { live.className = "live off"; live.textContent = "reconnecting…"; };
  source.onmessage = e => render(JSON.parse(e.data));
}

window.addEventListener("hashchange", route);
// ages move on without a change in the cluster
setInterval(() => { if (lastList) renderList(lastList); }, 30000);
route();
