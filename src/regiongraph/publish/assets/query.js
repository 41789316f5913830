// The query page: library examples in a select list, a textarea, a results table.
// Works offline: everything comes from this server (/queries.json and /sparql).
"use strict";

(function () {
  const select = document.getElementById("examples");
  const textarea = document.getElementById("query");
  const description = document.getElementById("example-description");
  const runButton = document.getElementById("run");
  const status = document.getElementById("status");
  const errorBox = document.getElementById("error");
  const results = document.getElementById("results");
  let library = [];

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function localHref(iri) {
    // IRIs minted by regiongraph are served by this server under the same path.
    const match = /^https?:\/\/[^/]+\/regiongraph(\/(id|graph)\/.*)$/.exec(iri);
    return match ? match[1] : iri;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = localHref(term.value);
      a.textContent = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
      else if (term.datatype) td.title = term.datatype;
    }
    return td;
  }

  function renderTable(data, truncated) {
    results.textContent = "";
    if (typeof data.boolean === "boolean") {
      results.textContent = "ASK: " + data.boolean;
      return;
    }
    const vars = data.head.vars;
    const rows = data.results.bindings;
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const v of vars) tr.appendChild(cell(row[v]));
    }
    results.appendChild(table);
    status.textContent = rows.length + " rows" + (truncated ? " (cut at the row limit)" : "");
  }

  async function run() {
    errorBox.hidden = true;
    results.textContent = "";
    status.textContent = "running…";
    runButton.disabled = true;
    const started = performance.now();
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Accept": "application/sparql-results+json",
        },
        body: new URLSearchParams({ query: textarea.value }),
      });
      const text = await response.text();
      if (!response.ok) {
        status.textContent = "";
        showError(response.status + " " + response.statusText + "\n" + text);
        return;
      }
      const data = JSON.parse(text);
      renderTable(data, response.headers.get("X-Regiongraph-Truncated") === "true");
      status.textContent += " · " + Math.round(performance.now() - started) + " ms";
    } catch (err) {
      status.textContent = "";
      showError(String(err));
    } finally {
      runButton.disabled = false;
    }
  }

  function pick() {
    const entry = library.find((q) => q.name === select.value);
    if (!entry) return;
    textarea.value = entry.text;
    description.textContent = entry.title + ": " + entry.description;
  }

  async function loadLibrary() {
    try {
      const response = await fetch("/queries.json");
      library = await response.json();
      for (const q of library) {
        const option = document.createElement("option");
        option.value = q.name;
        option.textContent = q.name + " — " + q.title;
        select.appendChild(option);
      }
      document.body.dataset.ready = "true";
    } catch (err) {
      showError("could not load the query library: " + err);
    }
  }

  select.addEventListener("change", pick);
  runButton.addEventListener("click", run);
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
  });
  loadLibrary();
})();
