// Calls to the HTTP API with the key the user saved; every failure becomes an ApiFailure with a message a
// person can act on, shown by errorBox (never a blank page).
import { entityLink, h } from "./dom.js";

const KEY_STORE = "mfgkg.apiKey";

export class ApiFailure extends Error {
  constructor(status, code, message, suggestions) {
    super(message);
    this.status = status;
    this.code = code;
    this.suggestions = suggestions || [];
  }
}

export function savedKey() {
  try {
    return window.localStorage.getItem(KEY_STORE) || "";
  } catch (e) {
    return ""; // storage disabled: the page still works against an open service
  }
}

export function saveKey(key) {
  if (key) window.localStorage.setItem(KEY_STORE, key);
  else window.localStorage.removeItem(KEY_STORE);
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  const key = savedKey();
  if (key) headers["X-API-Key"] = key;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    // relative to the page: the explorer also works behind a proxy that serves it under a sub-path
    response = await fetch(path.replace(/^\//, ""), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiFailure(0, "unreachable", "Cannot reach the service (" + e.message + "): is it running?");
  }
  let data = null;
  try {
    data = await response.json();
  } catch (e) {
    data = null; // a proxy's HTML error page, say: reported below with the HTTP status
  }
  if (!response.ok) {
    const err = (data && data.error) || {};
    const fallback = "The service answered HTTP " + response.status + " " + response.statusText + ".";
    throw new ApiFailure(
      response.status,
      err.code || "http_" + response.status,
      err.message || fallback,
      err.suggestions,
    );
  }
  if (data === null) throw new ApiFailure(response.status, "bad_response", "The service sent no JSON.");
  return data;
}

export function errorBox(err) {
  const status = err.status || 0;
  const box = h("div", { class: "notice error", role: "alert" });
  if (status === 401 || status === 403) {
    const what = status === 401 ? "This needs an API key" : "This key is not allowed here";
    box.append(
      h("strong", {}, what + ": enter an API key "),
      "with the reader role in the field at the top of the page. ",
      h("span", { class: "muted" }, "(" + err.message + ")"),
    );
  } else {
    box.append(h("strong", {}, "Error" + (status ? " " + status : "") + ": "), err.message || String(err));
  }
  if (err.suggestions && err.suggestions.length) {
    const links = err.suggestions.map((id) => h("li", {}, entityLink(id)));
    box.append(h("p", {}, "Close matches: "), h("ul", { class: "inline" }, ...links));
  }
  return box;
}
