// newsgraph UI: a popover for highlighted quotes (speaker, role, cue). No libraries.
// All values go in through textContent, so nothing from an article is parsed as HTML.
(function () {
  "use strict";
  var pop, current;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function show(mark) {
    if (!pop) return;
    var d = mark.dataset;
    pop.textContent = "";
    var head = el("div");
    if (d.speakerId) {
      var a = el("a", null, d.speaker);
      a.href = "/speakers/" + encodeURIComponent(d.speakerId);
      head.appendChild(a);
    } else {
      head.appendChild(el("span", null, d.speaker || ("unresolved: " + (d.written || "unknown speaker"))));
    }
    pop.appendChild(head);
    if (d.role) pop.appendChild(el("div", "r", d.role));
    var extra = [];
    if (d.cue) extra.push("cue: " + d.cue);
    if (d.kind) extra.push(d.kind + " quote");
    if (d.written && d.written !== d.speaker) extra.push("written: " + d.written);
    if (extra.length) pop.appendChild(el("div", "c", extra.join(" · ")));
    pop.hidden = false;
    var r = mark.getBoundingClientRect();
    var left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 8);
    pop.style.left = Math.max(8, left) + "px";
    pop.style.top = (window.scrollY + r.bottom + 6) + "px";
    if (current) current.classList.remove("active");
    current = mark;
    mark.classList.add("active");
  }

  function hide() {
    if (pop) pop.hidden = true;
    if (current) current.classList.remove("active");
    current = null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    pop = document.getElementById("pop");
    if (!pop) return;
    var marks = document.querySelectorAll("mark.quote");
    marks.forEach(function (m) {
      // The title attribute is the no-JS fallback; with the popover it would double up.
      m.dataset.title = m.title;
      m.removeAttribute("title");
      m.addEventListener("mouseenter", function () { show(m); });
      m.addEventListener("focus", function () { show(m); });
      m.addEventListener("click", function (ev) { ev.stopPropagation(); show(m); });
    });
    document.addEventListener("click", function (ev) { if (!pop.contains(ev.target)) hide(); });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") hide(); });
  });
})();
