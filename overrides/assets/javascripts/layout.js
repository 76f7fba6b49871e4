/* How pages read on a phone and a laptop (issue #13); styles in ../stylesheets/layout.css.
 *
 * 1. Anchors land on their heading. Code blocks far from the screen are laid out lazily (content-visibility: auto in
 *    overrides/main.html): an estimated height stands in until a block nears the screen. When the browser has scrolled
 *    to a heading, the blocks around it take their real height and push the heading away. For a moment after each
 *    jump to an anchor (page load with #id, a link to #id, the back button), the heading is put back where the
 *    theme puts a target, each frame it is elsewhere, for two seconds or until the reader scrolls.
 * 2. A table wider than its column says that it scrolls sideways: a shadow at the edge that hides columns and a line
 *    above it ("scroll sideways"), on every page, for any width. */
(function () {
  "use strict";

  // ---- 1. anchors
  var target = null, until = 0;
  function stop() { target = null; }
  // Where the theme puts a target: its scroll-margin-top below the top of the window, unless the page ends first.
  function misplaced(element) {
    var top = element.getBoundingClientRect().top;
    var margin = parseFloat(getComputedStyle(element).scrollMarginTop) || 0;
    var atEnd = Math.ceil(window.scrollY + window.innerHeight) >= document.documentElement.scrollHeight - 1;
    return Math.abs(top - margin) > 1 && !(top > margin && atEnd);
  }
  function settle() {
    if (!target || performance.now() > until) { target = null; return; }
    if (misplaced(target)) target.scrollIntoView({ block: "start", behavior: "instant" });
    requestAnimationFrame(settle);
  }
  function follow() {
    var id = decodeURIComponent(location.hash.slice(1));
    var element = id && document.getElementById(id);
    if (!element) return;
    target = element;
    until = performance.now() + 2000;
    requestAnimationFrame(settle);
  }
  ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (type) {
    window.addEventListener(type, stop, { passive: true, capture: true });
  });
  window.addEventListener("hashchange", follow);
  // a link to the anchor the address already shows fires no hashchange: follow it too
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (link && link.hash && link.hash === location.hash) setTimeout(follow, 0);
  });
  if (location.hash) follow();

  // ---- 2. tables that scroll sideways
  var words = (document.documentElement.lang || "en").indexOf("zh") === 0
    ? "表格较宽，可左右滑动查看 ⇆" : "This table scrolls sideways ⇆";
  function scroller(table) {
    for (var node = table; node && node !== document.body; node = node.parentElement) {
      var style = getComputedStyle(node);
      if (style.overflowX === "auto" || style.overflowX === "scroll") return node;
    }
    return null;
  }
  function mark() {
    document.querySelectorAll(".md-content table").forEach(function (table) {
      var box = scroller(table);
      if (!box) return;
      var wide = box.scrollWidth > box.clientWidth + 1;
      var hint = box.previousElementSibling;
      var has = hint && hint.classList.contains("scroll-hint");
      if (wide) {
        box.setAttribute("data-overflow", "");
        if (!has) {
          hint = document.createElement("p");
          hint.className = "scroll-hint";
          hint.textContent = words;
          box.parentNode.insertBefore(hint, box);
        }
      } else {
        box.removeAttribute("data-overflow");
        if (has) hint.remove();
      }
    });
  }
  var pending = 0;
  function later() { cancelAnimationFrame(pending); pending = requestAnimationFrame(mark); }
  window.addEventListener("resize", later);
  window.addEventListener("load", later);   // after the theme has wrapped its tables
  later();
})();
