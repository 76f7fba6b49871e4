/* The identify page's browser tool (docs/en/identify.md, docs/zh/identify.md): pick or drop a file, and the page
 * runs the identify.py it shows on it, in Python in this browser (identify-worker.js, Pyodide). Nothing is sent
 * anywhere, and nothing of Pyodide is requested before the first file. The words shown come from the page's own
 * markup (a hidden list in the tool), so each language's page has them in its language. */

const tool = document.querySelector("[data-identify-tool]");

if (tool) {
  const input = tool.querySelector("input[type=file]");
  const status = tool.querySelector("[data-identify-status]");
  const result = tool.querySelector("[data-identify-result]");
  // The page's words for each state, in its language: <li data-word="..."> in a hidden list of the tool.
  const words = Object.fromEntries([...tool.querySelectorAll("[data-word]")].map((li) => [li.dataset.word, li.textContent]));
  const url = (path) => new URL(path, document.baseURI).href;
  const pyodideURL = url(tool.dataset.pyodide);
  const scriptURL = url(tool.dataset.script);
  const RISK = ["ok", "danger", "unreadable"];  // identify.py's exit status 0, 1, 2
  let worker = null, asked = 0, started = false;

  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key]);
  const bytes = (n) => n.toLocaleString(document.documentElement.lang);

  function say(text) {
    status.textContent = text;
  }

  function show(message) {
    if (message.state === "checking") return say(fill(words.checking, message));
    if (message.state === "failed") {
      result.hidden = true;
      return say(fill(words.failed, message));
    }
    const risk = RISK[message.status] || "unreadable";
    result.hidden = false;
    result.dataset.risk = risk;
    result.querySelector("[data-identify-headline]").textContent = words[risk];
    result.querySelector("[data-identify-line]").textContent = message.line;
    result.querySelector("[data-identify-read]").textContent =
      fill(words.read, { read: bytes(message.read), size: bytes(message.size) });
    say("");
  }

  function identify(file) {
    if (!file) return;
    if (!worker) {
      worker = new Worker(new URL("identify-worker.js", import.meta.url), { type: "module" });
      worker.onmessage = (event) => { if (event.data.id === asked) show(event.data); };
      worker.onerror = (event) => { say(fill(words.failed, { error: event.message || "worker" })); worker = null; started = false; };
    }
    asked += 1;
    result.hidden = true;
    say(fill(started ? words.checking : words.loading, { name: file.name }));
    started = true;
    worker.postMessage({ id: asked, file, pyodideURL, scriptURL });
  }

  input.addEventListener("change", () => identify(input.files[0]));
  // The whole tool is a drop target; the file input stays the keyboard's and screen reader's way in.
  tool.addEventListener("dragover", (event) => {
    event.preventDefault();
    tool.classList.add("identify-tool--over");
  });
  tool.addEventListener("dragleave", () => tool.classList.remove("identify-tool--over"));
  tool.addEventListener("drop", (event) => {
    event.preventDefault();
    tool.classList.remove("identify-tool--over");
    identify(event.dataTransfer.files[0]);
  });
}
