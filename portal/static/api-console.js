/* Swagger UI (/api/docs/try/) leaves a few controls without a name a screen reader can say, and
   its example boxes scroll without being reachable by keyboard. It re-renders as one works, so
   each time the page changes: name the modal's close button and the request-body boxes, and let
   a scrolling example take the focus. */
(function () {
  function mend(root) {
    root.querySelectorAll(".close-modal:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", "Close");
    });
    root.querySelectorAll("textarea:not([aria-label]):not([id])").forEach(function (box) {
      var param = box.closest("tr[data-param-name]");
      box.setAttribute("aria-label", param ? "Value of " + param.getAttribute("data-param-name") : "Request body");
    });
    root.querySelectorAll("pre.microlight:not([tabindex]), .highlight-code pre:not([tabindex]), pre.example:not([tabindex])").forEach(function (pre) {
      pre.setAttribute("tabindex", "0");
    });
  }
  new MutationObserver(function () { mend(document); })
    .observe(document.documentElement, {childList: true, subtree: true});
})();
