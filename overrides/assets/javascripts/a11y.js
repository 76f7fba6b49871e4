// Keyboard access to what scrolls sideways (checked by tests/browser/test_keyboard.py and test_accessibility.py).
(function () {
  var wide = function (e) { return e.scrollWidth > e.clientWidth + 1; };

  // A table wider than the column scrolls inside a wrapper the theme adds when the page loads: a keyboard user
  // scrolls it by focusing it, so a wrapper that overflows is put in the Tab order (checked again on resize).
  function tables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wide(wrap)) wrap.setAttribute("tabindex", "0");
      else wrap.removeAttribute("tabindex");
    });
  }
  document$.subscribe(function () { setTimeout(tables, 0); });   // after the theme has set the page up
  window.addEventListener("resize", tables);

  // Code blocks carry tabindex="0" in the HTML (tools/a11y_hooks.py). When the theme sets a block up it removes it
  // from blocks that fit, and, on a device without hover (a tablet with a keyboard), from every block: give it
  // back to a block that scrolls.
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      var code = change.target;
      if (!code.hasAttribute("tabindex") && code.matches("pre > code") && wide(code)) code.setAttribute("tabindex", "0");
    });
  }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ["tabindex"]});
})();
