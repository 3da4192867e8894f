// The reader's light or dark choice, read before the page is drawn (this file is loaded in <head>, not
// deferred) so a dark page never flashes light. Kept in the browser alone: every reader gets the same HTML,
// which is what lets the pages be cached; without JavaScript the system's setting decides.
(function () {
  var root = document.documentElement;
  var KEY = "cupure-theme";
  var NAMES = { "": "auto", light: "light", dark: "dark" };
  var NEXT = { "": "light", light: "dark", dark: "" };
  function stored() {
    try { return localStorage.getItem(KEY) || ""; } catch (e) { return ""; }
  }
  function apply(theme) {
    if (theme) root.setAttribute("data-theme", theme); else root.removeAttribute("data-theme");
  }
  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme-switch");
    if (!button) return;
    function label() { button.textContent = "Theme: " + NAMES[stored()]; }
    button.hidden = false;
    label();
    button.addEventListener("click", function () {
      var theme = NEXT[stored()];
      try { if (theme) localStorage.setItem(KEY, theme); else localStorage.removeItem(KEY); } catch (e) { /* private mode */ }
      apply(theme);
      label();
    });
  });
})();
