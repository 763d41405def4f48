// The API docs page (mamori/api/templates/api/swagger_ui.html): what Swagger UI leaves out for assistive technology,
// added as it renders: one main landmark (the page's until Swagger UI renders its own <main>), a name for each
// parameter's true/false list, and keyboard access to scrolling code blocks.
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  if (!root) return;
  const mend = () => {
    const holder = document.getElementById("main");
    if (holder && holder.hasAttribute("role") && root.querySelector("main")) holder.removeAttribute("role");
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach((select) => {
      select.setAttribute("aria-label", select.closest("tr").dataset.paramName);
    });
    root.querySelectorAll(".highlight-code pre:not([tabindex]), pre.microlight:not([tabindex])").forEach((pre) => {
      pre.setAttribute("tabindex", "0");
    });
  };
  new MutationObserver(mend).observe(root, { childList: true, subtree: true });
  mend();
})();
