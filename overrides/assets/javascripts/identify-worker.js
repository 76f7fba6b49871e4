/* Runs identify.py on a file the reader picked, in Pyodide, in this worker (started by identify-browser.js).
 *
 * Pyodide (CPython compiled to WebAssembly) and identify.py come from the site itself (tools/pyodide_assets.py
 * copies them into assets/ at build time), loaded once, on the first file. The picked file is not copied into
 * Python: it is mounted with Emscripten's WORKERFS, whose reads take slices of the File (FileReaderSync, only in
 * a worker), so only the bytes identify.py reads are read from the reader's disk. They are counted and reported. */

let python = null;  // the promise of the `check` function, once Pyodide has started

const SETUP = `
import contextlib, io, os, sys
sys.path.insert(0, "/identify")
import identify

def check(folder, name):
    # What \`python identify.py NAME\` prints in that folder, and its exit status.
    os.chdir(folder)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = identify.main([name])
    os.chdir("/")
    return status, out.getvalue()
`;

async function start(pyodideURL, scriptURL) {
  const { loadPyodide } = await import(pyodideURL + "pyodide.mjs");
  const [pyodide, script] = await Promise.all([
    loadPyodide({ indexURL: pyodideURL, packages: [] }),
    fetch(scriptURL).then((response) => {
      if (!response.ok) throw new Error(`${scriptURL}: HTTP ${response.status}`);
      return response.text();
    }),
  ]);
  pyodide.FS.mkdirTree("/identify");
  pyodide.FS.writeFile("/identify/identify.py", script);
  pyodide.runPython(SETUP);
  return { pyodide, check: pyodide.globals.get("check") };
}

// The file as WORKERFS sees it (size and slice), counting the distinct bytes read.
function counted(file) {
  const ranges = [];
  return {
    blob: { size: file.size, slice(start, end) { ranges.push([start, Math.min(end, file.size)]); return file.slice(start, end); } },
    read() {
      let total = 0, reach = 0;
      for (const [start, end] of ranges.slice().sort((a, b) => a[0] - b[0])) {
        if (end > reach) { total += end - Math.max(start, reach); reach = end; }
      }
      return total;
    },
  };
}

let picked = 0;

self.onmessage = async (event) => {
  const { id, file, pyodideURL, scriptURL } = event.data;
  try {
    if (!python) {
      python = start(pyodideURL, scriptURL);
      python.catch(() => { python = null; });  // a failed start is tried again with the next file
    }
    const { pyodide, check } = await python;
    self.postMessage({ id, state: "checking", name: file.name });
    const folder = `/picked/${++picked}`;
    pyodide.FS.mkdirTree(folder);
    const source = counted(file);
    pyodide.FS.mount(pyodide.FS.filesystems.WORKERFS, { blobs: [{ name: file.name, data: source.blob }] }, folder);
    let result;
    try {
      result = check(folder, file.name);
    } finally {
      pyodide.FS.unmount(folder);
    }
    const [status, line] = result.toJs();
    result.destroy();
    self.postMessage({ id, state: "done", status, line: line.trimEnd(), read: source.read(), size: file.size });
  } catch (error) {
    self.postMessage({ id, state: "failed", error: String(error && error.message || error) });
  }
};
