// DOM building blocks shared by the views. Text from the graph is only ever inserted as text nodes (never
// innerHTML), so entity names and source snippets cannot inject markup.

export const view = document.getElementById("view");
const notices = document.getElementById("notices");

// h("a", {href: "#", onclick: fn}, "text", child, [more]) -> element; null/undefined/false children are skipped
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  el.append(...present(children));
  return el;
}

export function present(children) {
  return children
    .flat(Infinity)
    .filter((c) => c !== null && c !== undefined && c !== false)
    .map((c) => (c instanceof Node ? c : document.createTextNode(String(c))));
}

export const text = (v) => (v === null || v === undefined || v === "" ? "—" : String(v));
export const entityHref = (id) => "#/entity/" + encodeURIComponent(id);
export const failuresHref = (id) => "#/failures/" + encodeURIComponent(id);
export const labelOf = (ref) => (ref.labels && ref.labels[0]) || String(ref.id).split(":")[0];

export function entityLink(id, name, labels) {
  const tag = labels && labels.length ? h("span", { class: "label-tag" }, labels[0]) : null;
  return h("a", { href: entityHref(id), class: "entity", title: id }, name || id, tag);
}

// A message above the view; "transient" ones are removed on the next navigation.
export function notice(kind, ...content) {
  const role = kind.includes("error") ? "alert" : "status";
  const box = h("div", { class: "notice " + kind, role }, ...content);
  notices.append(box);
  return box;
}

export function clearTransientNotices() {
  notices.querySelectorAll(".transient").forEach((n) => n.remove());
}

export function section(title, ...content) {
  return h("section", { class: "card" }, h("h2", {}, title), ...content);
}

export function table(head, rows, cls) {
  const headRow = h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)));
  const body = rows.map((r) => h("tr", {}, ...r.map((c) => h("td", {}, c))));
  return h("table", { class: cls || "" }, h("thead", {}, headRow), h("tbody", {}, ...body));
}

export function busy(el, what) {
  el.replaceChildren(h("p", { class: "muted", "aria-busy": "true" }, what + "…"));
}

// Citations: each a button that reveals the cited span's text, its document and offsets.
export function citationList(citations) {
  if (!citations.length) return h("p", { class: "muted" }, "No citations.");
  return h("ol", { class: "citations" }, ...citations.map(citationItem));
}

let citationIds = 0;

function citationItem(c) {
  const id = "citation-" + ++citationIds;
  const confidence = c.confidence === null || c.confidence === undefined ? null : Number(c.confidence);
  const snippet = h(
    "div",
    { id, class: "snippet", hidden: true },
    h("blockquote", {}, c.snippet || "(the source text was not stored for this span)"),
    h(
      "p",
      { class: "muted" },
      "Document ",
      h("code", {}, c.document),
      c.path ? [" (", h("code", {}, c.path), ")"] : null,
      ", span " + c.start + "–" + c.end,
      c.extractor ? ", by " + c.extractor : null,
      confidence === null ? null : ", confidence " + confidence.toFixed(2),
    ),
  );
  const button = h(
    "button",
    { type: "button", class: "citation", "aria-expanded": "false", "aria-controls": id },
    (c.path || c.document).split("/").pop(),
    h("span", { class: "muted" }, " " + c.document + " · characters " + c.start + "–" + c.end),
  );
  button.addEventListener("click", () => {
    snippet.hidden = !snippet.hidden;
    button.setAttribute("aria-expanded", String(!snippet.hidden));
  });
  return h("li", {}, button, snippet);
}

// -- navigation ------------------------------------------------------------------------------------------
let generation = 0; // bumped on every navigation: answers that arrive for a view left behind are dropped

export function nextGeneration() {
  generation += 1;
}

// fn, run only while the view that asked is still shown
export function live(fn) {
  const asked = generation;
  return (...args) => (asked === generation ? fn(...args) : undefined);
}

// Navigate to a hash route; the same hash again re-runs the view (asking the same question twice).
export function go(hash) {
  if (window.location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else window.location.hash = hash;
}
