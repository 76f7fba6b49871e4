// A table wider than the column scrolls sideways inside a wrapper the theme adds when the page loads: a keyboard
// user scrolls it by focusing it, so a wrapper that overflows is put in the Tab order (code blocks get theirs in the
// HTML: tools/a11y_hooks.py). Checked again when the window's width changes.
(function () {
  function update() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) wrap.setAttribute("tabindex", "0");
      else wrap.removeAttribute("tabindex");
    });
  }
  // the theme wraps the tables when its script has set up the page (document$ emits)
  document$.subscribe(function () { setTimeout(update, 0); });
  window.addEventListener("resize", update);
})();
