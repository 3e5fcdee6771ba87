// Browsing views: entity search, an entity's page (properties, neighbours, drawing, citations) and the
// failure chains of an equipment or part ranked by RPN.
import { api, errorBox } from "./api.js";
import {
  busy,
  citationList,
  entityLink,
  failuresHref,
  go,
  h,
  labelOf,
  live,
  section,
  table,
  text,
  view,
} from "./dom.js";
import { graphFigure, mount } from "./graph.js";

export function renderSearch(params) {
  const q = params.get("q") || "";
  const input = h("input", {
    id: "search-q",
    name: "q",
    type: "search",
    value: q,
    required: true,
    maxlength: 500,
    autocomplete: "off",
    placeholder: "e.g. coolant pump",
  });
  const results = h("div", { id: "search-results", "aria-live": "polite" });
  const submit = (ev) => {
    ev.preventDefault();
    go("#/search?q=" + encodeURIComponent(input.value.trim()));
  };
  view.replaceChildren(
    h("h1", {}, "Find an entity"),
    h(
      "form",
      { class: "ask-form", role: "search", onsubmit: submit },
      h("label", { for: "search-q" }, "Words of a name"),
      h("div", { class: "row" }, input, h("button", { type: "submit" }, "Search")),
    ),
    results,
  );
  if (!q.trim()) {
    input.focus();
    return;
  }
  busy(results, "Searching");
  api("GET", "/entities/search?limit=25&q=" + encodeURIComponent(q)).then(
    live((r) => results.replaceChildren(...searchResults(r, q))),
    live((err) => results.replaceChildren(errorBox(err))),
  );
}

function searchResults(r, q) {
  if (!r.results.length) return [h("p", {}, "No entity name matches “" + q + "”.")];
  const item = (hit) =>
    h("li", {}, entityLink(hit.id, hit.name, hit.labels), h("span", { class: "muted id" }, " " + hit.id));
  const count = r.results.length + " result" + (r.results.length > 1 ? "s" : "");
  return [h("p", { class: "muted" }, count), h("ol", { class: "results" }, ...r.results.map(item))];
}

export function renderEntity(id) {
  busy(view, "Loading " + id);
  api("GET", "/entities/" + encodeURIComponent(id)).then(
    live((d) => mount(view, entityView(d))),
    live((err) => view.replaceChildren(h("h1", {}, id), errorBox(err))),
  );
}

function entityView(d) {
  const e = d.entity;
  const hasChains = e.labels.includes("Equipment") || e.labels.includes("Part");
  const chainsLink = h(
    "a",
    { href: failuresHref(e.id), class: "button-link", id: "failure-link" },
    "Failure chains (cause → mode → effect)",
  );
  return [
    h("h1", {}, e.name || e.id, " ", h("span", { class: "label-tag" }, e.labels.join(", ") || labelOf(e))),
    h("p", { class: "muted" }, h("code", {}, e.id)),
    hasChains ? h("p", {}, chainsLink) : null,
    h("div", { class: "columns" }, neighbourList(d), section("Properties", properties(d.properties))),
    section("Neighbourhood", neighbourhood(d)),
    section("Citations (" + d.citations.length + ")", citationList(d.citations)),
  ];
}

function neighbourList(d) {
  const byRel = new Map(); // "→ HAS_PART" -> entities
  for (const n of d.neighbours) {
    const key = (n.direction === "out" ? "→ " : "← ") + n.relationship;
    if (!byRel.has(key)) byRel.set(key, []);
    byRel.get(key).push(n.entity);
  }
  const links = (ents) =>
    h("ul", { class: "inline" }, ...ents.map((x) => h("li", {}, entityLink(x.id, x.name, x.labels))));
  const list = d.neighbours.length
    ? h(
        "dl",
        { class: "neighbours", id: "neighbours" },
        ...[...byRel].map(([rel, ents]) => [h("dt", {}, rel), h("dd", {}, links(ents))]),
      )
    : h("p", { class: "muted" }, "No neighbours.");
  const title = "Neighbours (" + d.neighbours.length + (d.neighbours_truncated ? "+" : "") + ")";
  const more = d.neighbours_truncated
    ? h("p", { class: "muted" }, "More neighbours exist than shown.")
    : null;
  return section(title, list, more);
}

function properties(props) {
  const show = (v) =>
    Array.isArray(v) ? v.join(", ") : typeof v === "object" && v !== null ? JSON.stringify(v) : text(v);
  const rows = Object.entries(props)
    .filter(([k]) => k !== "id")
    .map(([k, v]) => [k, show(v)]);
  return table(["Property", "Value"], rows, "properties");
}

function neighbourhood(d) {
  const e = d.entity;
  const nodes = [{ ...e, role: "center" }];
  const seen = new Set([e.id]);
  for (const n of d.neighbours) {
    if (!seen.has(n.entity.id)) nodes.push({ ...n.entity, role: "context" });
    seen.add(n.entity.id);
  }
  const edges = d.neighbours.map((n) =>
    n.direction === "out"
      ? { source: e.id, target: n.entity.id, type: n.relationship }
      : { source: n.entity.id, target: e.id, type: n.relationship },
  );
  return graphFigure(nodes, edges, "One relationship away from " + (e.name || e.id));
}

export function renderFailures(id) {
  busy(view, "Loading failure chains of " + id);
  const kind = id.startsWith("Part:") ? "/parts/" : "/equipment/";
  api("GET", kind + encodeURIComponent(id) + "/failure-chains").then(
    live((r) => mount(view, failureView(r))),
    live((err) => view.replaceChildren(h("h1", {}, "Failure chains of " + id), errorBox(err))),
  );
}

function failureView(r) {
  const rows = r.chains.map((c, i) => [
    String(i + 1),
    entityLink(c.item_id, c.item),
    text(c.cause),
    entityLink(c.mode_id, c.mode),
    text(c.effect),
    text(c.severity),
    text(c.occurrence),
    text(c.detection),
    h("strong", {}, text(c.rpn)),
  ]);
  const head = ["#", "Item", "Cause", "→ Failure mode", "→ Effect", "S", "O", "D", "RPN"];
  return [
    h("h1", {}, "Failure chains of ", entityLink(r.entity.id, r.entity.name, r.entity.labels)),
    h(
      "p",
      { class: "muted" },
      "Cause → failure mode → effect for the item and its parts, highest risk priority number " +
        "(RPN = severity × occurrence × detection) first.",
    ),
    r.chains.length
      ? table(head, rows, "chains")
      : h("p", {}, "No failure modes recorded for this item or its parts."),
    r.truncated ? h("p", { class: "muted" }, "More chains exist than shown.") : null,
  ];
}
