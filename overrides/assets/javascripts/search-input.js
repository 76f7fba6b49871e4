// Search reacts to every way text arrives in the box, and says when it has answered.
// mkdocs-material queries on key release only: text pasted, dropped, or committed from an IME candidate list
// (Chinese, Japanese input) sent no query until another key was pressed. Loaded before the theme's deferred script.
(() => {
  const BOX = ".md-search__input";
  const isBox = (target) => target instanceof Element && target.matches(BOX);
  const query = (box) => box.dispatchEvent(new KeyboardEvent("keyup"));  // what the theme listens to

  // Any change of the text outside a composition (typing, paste, drop, autofill, undo), and a composition's commit.
  document.addEventListener("input", (ev) => { if (isBox(ev.target) && !ev.isComposing) query(ev.target); }, true);
  document.addEventListener("compositionend", (ev) => { if (isBox(ev.target)) query(ev.target); }, true);
  // While a composition is open the box holds pinyin ("anquan"), not the query: keys released then search nothing.
  document.addEventListener("keyup", (ev) => {
    if (isBox(ev.target) && ev.isTrusted && ev.isComposing) ev.stopImmediatePropagation();
  }, true);

  // The state of the search, on <html>, for the tests and for anyone scripting the page:
  //   data-search-ready      the index is loaded and the worker answers queries
  //   data-search-answered   the query whose results the list shows now
  // The theme talks to its worker only; the worker is made here so its messages can be read.
  const Native = window.Worker;
  if (!Native) return;
  window.Worker = class extends Native {
    constructor(url, options) {
      super(url, options);
      if (!String(url).includes("/workers/search")) return;
      this.addEventListener("message", ({ data }) => {
        const root = document.documentElement;
        if (data && data.type === 1) root.dataset.searchReady = "";                 // READY
        if (data && data.type === 3)                                                 // RESULT
          // The theme renders the list in its own listener of this message: mark it after that.
          setTimeout(() => {
            root.dataset.searchAnswered = data.data.query ?? "";
            root.dispatchEvent(new CustomEvent("search-answered", { detail: data.data.query }));
          });
      });
    }
  };
})();
