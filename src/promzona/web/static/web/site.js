/* Every page: marks that scripts run (only then does the phone menu fold away), the menu
   button, the current page in the navigation, and tables too wide for a phone made reachable
   by keyboard (a scrolled region must take the focus). Loaded in <head>, before the first paint. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function scrollables() {
    document.querySelectorAll("main table, main .table-wrap, main .timeline").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) {
        if (!el.hasAttribute("tabindex")) { el.tabIndex = 0; el.dataset.scrolls = "1"; }
      } else if (el.dataset.scrolls) {
        el.removeAttribute("tabindex"); delete el.dataset.scrolls;
      }
    });
  }

  function ready() {
    var button = document.querySelector(".menu-toggle");
    var nav = document.getElementById("site-nav");
    if (button && nav) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", String(open));
        nav.classList.toggle("open", open);
      });
    }
    document.querySelectorAll(".site-nav a[href]").forEach(function (a) {
      if (a.pathname === location.pathname) a.setAttribute("aria-current", "page");
    });
    scrollables();
    window.addEventListener("resize", scrollables);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
