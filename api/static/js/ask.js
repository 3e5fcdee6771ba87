// The Ask view: a question box -> POST /ask -> the answer, its explanation (which explainer, grounded or
// not), the subgraph, the facts, the citations and the Cypher that ran. Ambiguous names come back as
// choices: clicking one asks again with {"entity_ids": [id]}.
import { api, errorBox } from "./api.js";
import { busy, citationList, entityLink, go, h, labelOf, live, section, table, text, view } from "./dom.js";
import { graphFigure, mount } from "./graph.js";

const askHref = (question, id) =>
  "#/ask?q=" + encodeURIComponent(question) + (id ? "&ids=" + encodeURIComponent(id) : "");

export function renderAsk(params) {
  const question = params.get("q") || "";
  const ids = params.getAll("ids");
  const input = h("input", {
    id: "question",
    name: "q",
    type: "text",
    value: question,
    required: true,
    maxlength: 2000,
    placeholder: "e.g. What does an outage of SKF hit?",
    autocomplete: "off",
  });
  const result = h("div", { id: "ask-result", "aria-live": "polite" });
  const submit = (ev) => {
    ev.preventDefault();
    go(askHref(input.value.trim()));
  };
  const form = h(
    "form",
    { class: "ask-form", role: "search", onsubmit: submit },
    h("label", { for: "question" }, "Ask the knowledge graph"),
    h("div", { class: "row" }, input, h("button", { type: "submit" }, "Ask")),
  );
  view.replaceChildren(h("h1", {}, "Ask"), form, result);
  if (!question.trim()) {
    input.focus();
    return;
  }
  busy(result, "Asking");
  const body = ids.length ? { question, entity_ids: ids } : { question };
  api("POST", "/ask", body).then(
    live((r) => mount(result, answerView(r))),
    live((err) => result.replaceChildren(errorBox(err))),
  );
}

function answerView(r) {
  const sub = r.subgraph || { nodes: [], edges: [] };
  return [
    summary(r),
    choices(
      "Which did you mean?",
      r.choices,
      r.question,
      (c) => "“" + c.mention + "” matches several entities:",
    ),
    choices(
      "Not in the graph",
      r.suggestions,
      r.question,
      (c) => "“" + c.mention + "” is not in the graph." + (c.candidates.length ? " Close matches:" : ""),
    ),
    r.answer_entities && r.answer_entities.length
      ? section(
          "Answer entities",
          h(
            "ul",
            { class: "inline" },
            ...r.answer_entities.map((e) => h("li", {}, entityLink(e.id, e.name, e.labels))),
          ),
        )
      : null,
    sub.nodes.length
      ? section("Subgraph", graphFigure(sub.nodes, sub.edges, "Entities and relationships behind the answer"))
      : null,
    facts(r),
    section("Citations (" + (r.citations || []).length + ")", citationList(r.citations || [])),
    cypher(r.cypher || []),
  ];
}

function summary(r) {
  const ex = r.explainer || {};
  const badge = h(
    "span",
    { class: "badge explainer " + (ex.grounded ? "grounded" : "ungrounded"), id: "explainer-badge" },
    "explained by " + text(ex.name) + (ex.model ? " (" + ex.model + ")" : ""),
    " · " + (ex.grounded ? "✓ grounded in the facts" : "✗ not grounded"),
  );
  const requested =
    ex.requested && ex.requested !== ex.name
      ? h("span", { class: "badge" }, "requested: " + ex.requested)
      : null;
  const tool = r.tool
    ? h(
        "span",
        { class: "badge tool" },
        `tool: ${r.tool.name} (${r.tool.method}, ${Number(r.tool.score).toFixed(2)})`,
      )
    : null;
  const rejected =
    ex.rejected && ex.rejected.length
      ? h(
          "details",
          {},
          h("summary", {}, "Rejected drafts (" + ex.rejected.length + ")"),
          h("ul", {}, ...ex.rejected.map((x) => h("li", {}, x))),
        )
      : null;
  return h(
    "section",
    { class: "card answer-card", "data-status": r.status },
    h("p", { class: "status" }, h("span", { class: "status-tag" }, r.status.replace(/_/g, " "))),
    h("p", { class: "answer", id: "answer" }, r.answer),
    h("p", { class: "explanation", id: "explanation" }, r.explanation),
    h("p", { class: "meta" }, badge, requested, tool),
    rejected,
  );
}

// One block per mention, one button per candidate entity: a click asks again with that entity.
function choices(title, list, question, intro) {
  if (!list || !list.length) return null;
  const button = (cand) =>
    h(
      "button",
      { type: "button", class: "choice", onclick: () => go(askHref(question, cand.id)) },
      cand.name || cand.id,
      h("span", { class: "muted" }, " " + labelOf(cand) + " · " + cand.id),
    );
  const block = (c) => h("div", { class: "choices" }, h("p", {}, intro(c)), ...c.candidates.map(button));
  return section(title, ...list.map(block));
}

function facts(r) {
  if (!r.facts || !r.facts.length) return null;
  const value = (v) => text(typeof v === "object" && v !== null ? JSON.stringify(v) : v);
  const rows = r.facts.map((f) => [
    entityLink(f.subject, f.subject_name),
    h("code", {}, f.predicate),
    f.object !== null && f.object !== undefined ? entityLink(f.object, f.object_name) : value(f.value),
  ]);
  const title = "Facts (" + r.facts.length + (r.facts_truncated ? ", truncated" : "") + ")";
  return section(title, table(["Subject", "Predicate", "Object or value"], rows, "facts"));
}

function cypher(runs) {
  if (!runs.length) return null;
  const statement = (c) =>
    h(
      "div",
      { class: "statement" },
      h("pre", {}, h("code", {}, c.query)),
      h("p", { class: "muted" }, "Parameters · " + c.rows + " rows · " + Number(c.ms).toFixed(1) + " ms"),
      h("pre", {}, h("code", {}, JSON.stringify(c.parameters, null, 2))),
    );
  const title = "Cypher (" + runs.length + " statement" + (runs.length > 1 ? "s" : "") + ")";
  return h("details", { class: "card cypher" }, h("summary", {}, title), ...runs.map(statement));
}
