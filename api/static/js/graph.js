// Subgraph drawings with Cytoscape.js (bundled from npm by `make web`; the page works without it).
// window.mfgkg.cy is the current drawing, or null: the tests read it.
import { entityHref, h, labelOf, notice, present } from "./dom.js";

export const mfgkg = (window.mfgkg = { cy: null, drawing: typeof window.cytoscape === "function" });

const PALETTE = {
  Equipment: "#1f77b4",
  Part: "#ff7f0e",
  Supplier: "#2ca02c",
  Manufacturer: "#17becf",
  Material: "#8c564b",
  Product: "#bcbd22",
  Site: "#7f7f7f",
  FailureMode: "#d62728",
  FailureCause: "#9467bd",
  FailureEffect: "#e377c2",
  FailureMechanism: "#aa4466",
  MaintenanceActivity: "#558855",
  Process: "#996600",
  Organization: "#446688",
  Document: "#999999",
};
// shapes carry the role, so the drawing does not depend on colour alone
const SHAPES = { linked: "diamond", answer: "round-rectangle", context: "ellipse", center: "star" };
const ROLE_TEXT = {
  linked: "◆ named in the question",
  answer: "▬ answers",
  context: "● context",
  center: "★ this entity",
};
// rings: the entity (or those the question names) in the middle, context around, the answers outside
const RING = { center: 4, linked: 3, context: 2, answer: 1 };
const LAYOUT = {
  name: "concentric",
  concentric: (n) => RING[n.data("role")] || 1,
  levelWidth: () => 1,
  minNodeSpacing: 40,
  animate: false,
  padding: 30,
};
const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(name)",
      "background-color": "data(color)",
      shape: "data(shape)",
      "font-size": 10,
      "text-wrap": "ellipsis",
      "text-max-width": 140,
      "text-valign": "bottom",
      "text-margin-y": 3,
      color: "#222",
      width: 22,
      height: 22,
      "border-width": 1,
      "border-color": "#333",
    },
  },
  {
    selector: "node[shape = 'diamond'], node[shape = 'star']",
    style: { width: 30, height: 30, "border-width": 3 },
  },
  {
    selector: "edge",
    style: {
      label: "data(type)",
      "font-size": 8,
      color: "#444",
      width: 1.5,
      "line-color": "#999",
      "target-arrow-color": "#999",
      "target-arrow-shape": "triangle",
      "curve-style": "bezier",
      "text-rotation": "autorotate",
      "text-background-color": "#fff",
      "text-background-opacity": 0.8,
    },
  },
];

const pending = []; // cytoscape measures its container: draw once the figure is in the page

export function resetDrawing() {
  pending.length = 0;
  if (mfgkg.cy) mfgkg.cy.destroy();
  mfgkg.cy = null;
}

// Put children into el, then draw the graphs among them.
export function mount(el, ...children) {
  el.replaceChildren(...present(children));
  for (const draw of pending.splice(0)) {
    try {
      draw();
    } catch (err) {
      notice("error transient", "The graph could not be drawn: " + err.message);
    }
  }
}

// A figure for nodes [{id, name, labels, role}] and edges [{source, target, type}], drawn by mount().
export function graphFigure(nodes, edges, caption) {
  const ids = new Set(nodes.map((n) => n.id));
  const kept = edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  const canvas = h("div", {
    class: "graph",
    role: "img",
    "aria-label": caption + ": " + nodes.length + " entities, " + kept.length + " relationships",
  });
  if (!mfgkg.drawing) {
    canvas.classList.add("unavailable");
    canvas.append(h("p", {}, "Graph drawing unavailable: run ", h("code", {}, "make web"), "."));
  } else if (!nodes.length) {
    canvas.append(h("p", { class: "muted" }, "Nothing to draw."));
  } else {
    pending.push(() => draw(canvas, nodes, kept));
  }
  const note = h("figcaption", { class: "muted" }, caption, ". Click an entity to open it.");
  return h("figure", { class: "graph-figure" }, canvas, legend(nodes), note);
}

function draw(canvas, nodes, edges) {
  if (mfgkg.cy) mfgkg.cy.destroy(); // one drawing per view
  const data = (n) => ({
    id: n.id,
    name: n.name || n.id,
    role: n.role,
    color: PALETTE[labelOf(n)] || "#555",
    shape: SHAPES[n.role] || "ellipse",
  });
  mfgkg.cy = window.cytoscape({
    container: canvas,
    elements: [
      ...nodes.map((n) => ({ data: data(n) })),
      ...edges.map((e, i) => ({ data: { id: "e" + i, source: e.source, target: e.target, type: e.type } })),
    ],
    style: STYLE,
    layout: nodes.length > 1 ? LAYOUT : { name: "grid" },
    maxZoom: 1.6, // a graph of three nodes is not blown up to fill the box
    minZoom: 0.2,
  });
  mfgkg.cy.on("tap", "node", (ev) => {
    window.location.hash = entityHref(ev.target.id());
  });
}

function legend(nodes) {
  const labels = [...new Set(nodes.map(labelOf))].sort();
  const roles = [...new Set(nodes.map((n) => n.role).filter(Boolean))];
  const swatch = (l) => h("span", { class: "swatch", style: "background:" + (PALETTE[l] || "#555") });
  return h(
    "ul",
    { class: "legend", "aria-label": "Legend" },
    labels.map((l) => h("li", {}, swatch(l), l)),
    roles.map((r) => h("li", { class: "muted" }, ROLE_TEXT[r] || r)),
  );
}
