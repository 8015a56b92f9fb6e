// Filter, sort and page long lists (elements marked data-table-tools), as progressive enhancement:
// without JavaScript every row stays visible. Rows are only hidden, never removed, so form inputs
// inside them are still submitted. Words come from data-* attributes so the page can translate them.
(function () {
  "use strict";
  var counter = 0;

  function words(el, key, fallback) { return el.getAttribute("data-" + key) || fallback; }

  function rowText(row) {
    // the text people see plus what they typed or chose in the row's inputs
    var text = row.textContent;
    row.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (input.type !== "hidden") { text += " " + (input.value || ""); }
    });
    return text.replace(/\s+/g, " ").toLowerCase();
  }

  function cellKey(row, index) {
    var cell = row.cells ? row.cells[index] : null;
    return cell ? cell.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function fieldKey(row, suffix) {
    // a form row's value for one field: its input's name ends in "-<field>" (smelters-3-country)
    var input = Array.prototype.filter.call(row.querySelectorAll("input, select, textarea"), function (el) {
      return el.name && el.name.slice(-suffix.length - 1) === "-" + suffix;
    })[0];
    if (!input) { return ""; }
    if (input.tagName === "SELECT" && input.selectedIndex >= 0) { return input.options[input.selectedIndex].text.trim(); }
    return (input.value || "").trim();
  }

  function sortColumns(el, isTable, rows) {
    // [{label, key(row)}]: a table's header cells, or a form list's fields (from its first row)
    if (isTable) {
      if (!el.tHead) { return []; }
      return Array.prototype.map.call(el.tHead.rows[0].cells, function (th, index) {
        return {th: th, index: index, label: th.textContent.replace(/\s+/g, " ").trim(),
                key: function (row) { return cellKey(row, index); }};
      }).filter(function (c) { return c.label && !c.th.hasAttribute("data-no-sort"); });
    }
    var first = rows()[0];
    if (!first) { return []; }
    return Array.prototype.map.call(first.querySelectorAll(":scope > .field"), function (field) {
      var input = field.querySelector("input, select, textarea");
      var label = field.querySelector("label");
      var suffix = input && input.name ? input.name.split("-").pop() : "";
      return {label: label ? label.textContent.trim() : "", key: function (row) { return fieldKey(row, suffix); }};
    }).filter(function (c) { return c.label && c.key; });
  }

  function setUp(el) {
    var isTable = el.tagName === "TABLE";
    var body = isTable ? el.tBodies[0] : el;
    if (!body) { return; }
    var rows = function () {
      return Array.prototype.filter.call(body.children, function (child) {
        return isTable ? child.tagName === "TR" : child.hasAttribute("data-tt-row");
      });
    };
    var pageSize = parseInt(el.getAttribute("data-page-size") || "50", 10);
    var page = 0;
    var id = "tt" + (++counter);
    var anchor = el.closest(".scroll-x") || el;

    var tools = document.createElement("div");
    tools.className = "table-tools";
    var label = document.createElement("label");
    label.setAttribute("for", id + "-filter");
    label.textContent = words(el, "filter-label", "Filter rows");
    var filter = document.createElement("input");
    filter.type = "search";
    filter.id = id + "-filter";
    filter.setAttribute("aria-controls", el.id || "");
    tools.appendChild(label);
    tools.appendChild(filter);
    anchor.parentNode.insertBefore(tools, anchor);

    var pager = document.createElement("div");
    pager.className = "table-pager";
    var prev = document.createElement("button");
    prev.type = "button";
    prev.className = "small secondary";
    prev.textContent = words(el, "prev", "Previous");
    var status = document.createElement("p");
    status.className = "table-status";
    status.setAttribute("aria-live", "polite");
    var next = document.createElement("button");
    next.type = "button";
    next.className = "small secondary";
    next.textContent = words(el, "next", "Next");
    pager.appendChild(prev);
    pager.appendChild(status);
    pager.appendChild(next);
    anchor.parentNode.insertBefore(pager, anchor.nextSibling);

    function render() {
      var query = filter.value.trim().toLowerCase();
      var all = rows();
      var matching = all.filter(function (row) { return !query || rowText(row).indexOf(query) !== -1; });
      var pages = Math.max(1, Math.ceil(matching.length / pageSize));
      page = Math.min(page, pages - 1);
      var first = page * pageSize;
      var shown = matching.slice(first, first + pageSize);
      all.forEach(function (row) { row.hidden = shown.indexOf(row) === -1; });
      var text;
      if (!matching.length) {
        text = words(el, "none", "No rows match “{query}”.").replace("{query}", filter.value.trim());
      } else {
        text = words(el, "status", "Rows {from}–{to} of {total}")
          .replace("{from}", first + 1).replace("{to}", first + shown.length).replace("{total}", matching.length);
        if (matching.length !== all.length) {
          text += " " + words(el, "filtered", "(filtered from {all})").replace("{all}", all.length);
        }
      }
      status.textContent = text;
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }

    // the filter belongs to no form: typing in it is not an unsaved change, Enter does not submit
    filter.addEventListener("input", function (event) { event.stopPropagation(); page = 0; render(); });
    filter.addEventListener("change", function (event) { event.stopPropagation(); });
    filter.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); } });
    prev.addEventListener("click", function () { page -= 1; render(); });
    next.addEventListener("click", function () { page += 1; render(); });

    // Sorting: buttons in a table's column headers, and a "Sort by" list for what has no visible
    // header row — a table shown as cards on a phone, a form's list of rows.
    var columns = sortColumns(el, isTable, rows);
    var original = rows().slice();
    var tail = original.length ? original[original.length - 1].nextSibling : null;  // a form list's "Add a row"
    var choice = null;
    function sortBy(position, direction) {
      columns.forEach(function (c) { if (c.th) { c.th.removeAttribute("aria-sort"); } });
      var sorted = original.slice();
      if (position >= 0) {
        var column = columns[position];
        if (column.th) { column.th.setAttribute("aria-sort", direction); }
        var sign = direction === "ascending" ? 1 : -1;
        sorted.sort(function (a, b) {
          return sign * column.key(a).localeCompare(column.key(b), undefined, {numeric: true});
        });
      }
      sorted.forEach(function (row) { body.insertBefore(row, tail); });
      if (choice) { choice.value = position < 0 ? "" : position + ":" + direction; }
      page = 0;
      render();
    }
    if (columns.length) {
      var sortLabel = document.createElement("label");
      sortLabel.setAttribute("for", id + "-sort");
      sortLabel.textContent = words(el, "sort-label", "Sort by");
      choice = document.createElement("select");
      choice.id = id + "-sort";
      choice.setAttribute("aria-controls", el.id || "");
      var asListed = document.createElement("option");
      asListed.value = "";
      asListed.textContent = words(el, "sort-none", "As listed");
      choice.appendChild(asListed);
      columns.forEach(function (column, position) {
        [["ascending", "sort-up", "{column}, A to Z"], ["descending", "sort-down", "{column}, Z to A"]].forEach(function (d) {
          var option = document.createElement("option");
          option.value = position + ":" + d[0];
          option.textContent = words(el, d[1], d[2]).replace("{column}", column.label);
          choice.appendChild(option);
        });
      });
      var sortControl = document.createElement("span");
      sortControl.className = "sort-control";
      sortControl.appendChild(sortLabel);
      sortControl.appendChild(choice);
      tools.appendChild(sortControl);
      if (!isTable || el.classList.contains("stack")) { tools.classList.add("for-cards"); }
      if (!isTable) { tools.classList.add("always-sort"); }
      choice.addEventListener("change", function (event) {
        event.stopPropagation();  // not an unsaved change of the form around it
        var parts = choice.value.split(":");
        sortBy(choice.value ? parseInt(parts[0], 10) : -1, parts[1]);
      });
      columns.forEach(function (column, position) {
        if (!column.th) { return; }
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        while (column.th.firstChild) { button.appendChild(column.th.firstChild); }
        column.th.appendChild(button);
        button.addEventListener("click", function () {
          sortBy(position, column.th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending");
        });
      });
    }
    render();

    // a link to a field on another page of rows (the error summary's) turns to that page first
    function reveal(target) {
      var row = rows().filter(function (r) { return r.contains(target); })[0];
      if (!row || !row.hidden) { return; }
      filter.value = "";
      page = Math.floor(rows().indexOf(row) / pageSize);
      render();
    }
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href*='#']") : null;
      if (!link || link.pathname !== location.pathname) { return; }
      var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (target) { reveal(target); }
    }, true);
    if (location.hash) {
      var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target) { reveal(target); target.scrollIntoView(); }
    }
  }

  document.querySelectorAll("[data-table-tools]").forEach(setUp);
})();
