// Polls the document's status URL until the state is final, then reloads once to show the result.
(function () {
  var panel = document.getElementById("status-panel");
  if (!panel || panel.dataset.final === "true") return;
  var url = panel.dataset.statusUrl, delay = 1000;
  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) return;
        var badge = panel.querySelector(".badge");
        badge.textContent = s.label; badge.className = "badge " + s.tone; badge.dataset.status = s.status;
        if (s.final) { window.location.reload(); return; }
        delay = Math.min(delay * 1.3, 5000);
        setTimeout(poll, delay);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, delay);
})();
