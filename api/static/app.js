// mfg-kg explorer: a single page over the HTTP API in plain JavaScript modules, no build step.
//
// Views (hash routes): #/ask?q=...&ids=...  #/search?q=...  #/entity/<id>  #/failures/<id>
// Every data call sends the key saved in the header field (X-API-Key); the page itself holds no data.
import { api, errorBox, saveKey, savedKey } from "./js/api.js";
import { renderAsk } from "./js/ask.js";
import { renderEntity, renderFailures, renderSearch } from "./js/browse.js";
import { clearTransientNotices, h, nextGeneration, notice, text, view } from "./js/dom.js";
import { mfgkg, resetDrawing } from "./js/graph.js";

function route() {
  nextGeneration();
  resetDrawing();
  clearTransientNotices();
  const [path, query] = window.location.hash.replace(/^#\/?/, "").split("?", 2);
  const params = new URLSearchParams(query || "");
  const [name, ...rest] = path.split("/");
  const arg = rest.length ? decodeURIComponent(rest.join("/")) : "";
  document.querySelectorAll("nav [data-view]").forEach((a) => {
    if (a.dataset.view === (name || "ask")) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  try {
    if (name === "search") renderSearch(params);
    else if (name === "entity" && arg) renderEntity(arg);
    else if (name === "failures" && arg) renderFailures(arg);
    else renderAsk(params);
  } catch (err) {
    view.replaceChildren(errorBox(err));
  }
  view.focus({ preventScroll: true });
}

function setupKeyForm() {
  const form = document.getElementById("key-form");
  const input = document.getElementById("api-key");
  const state = document.getElementById("key-state");
  const show = () => (state.textContent = savedKey() ? "key saved" : "no key");
  input.value = savedKey();
  show();
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    try {
      saveKey(input.value.trim());
    } catch (e) {
      notice("error", "The browser refused to store the key (" + e.message + ").");
    }
    show();
    route(); // the current view again, with the new key
  });
}

// /health needs no key: say at once when the service wants one, or when its store is down.
function checkService() {
  api("GET", "/health").then(
    (health) => {
      if (health.auth === "api-keys" && !savedKey()) {
        notice("info transient", "This service needs an API key: enter an API key in the field at the top.");
      }
    },
    (err) => {
      const detail = err.status === 503 ? "the graph store is unavailable" : err.message;
      notice("error", "The service is not ready: " + text(detail) + ".");
    },
  );
}

window.addEventListener("error", (ev) => notice("error", "Page error: " + ev.message));
window.addEventListener("hashchange", route);
if (!mfgkg.drawing) {
  notice(
    "warning",
    "Graph drawing unavailable: run ",
    h("code", {}, "make web"),
    " (installs the drawing library from npm into api/static/vendor).",
  );
}
setupKeyForm();
checkService();
route();
