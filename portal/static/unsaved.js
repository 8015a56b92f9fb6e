// Warn before leaving a form with changes nobody saved (forms marked data-unsaved-guard).
// Any submit of the form itself (save, add/remove a row, submit) is a save, so it passes.
(function () {
  document.querySelectorAll("form[data-unsaved-guard]").forEach(function (form) {
    var dirty = false;
    var mark = function () { dirty = true; };
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);
    // fields tied to the form by form="…" (the signature) live outside it in the page
    document.querySelectorAll('[form="' + form.id + '"]').forEach(function (el) {
      el.addEventListener("input", mark);
      el.addEventListener("change", mark);
    });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) { return; }
      event.preventDefault();
      event.returnValue = "";  // older browsers need a value to show their own prompt
    });
  });
})();
