// Quote by selection: turns the selected words of the article body into offsets
// (Python string indices, i.e. code points) and submits the quote form.
// Without JavaScript the same form takes typed or pasted words.
// The same selection fills the "Record a claim" form of the evidence panel (#17), and
// pointing at a claim of the panel highlights the quotes it cites in the body.
(function () {
  "use strict";
  const body = document.getElementById("article-body");
  if (!body) {
    return;
  }
  const record = document.getElementById("record-form");
  document.querySelectorAll(".sco-claim-row").forEach(function (row) {
    const ids = (row.dataset.quotes || "").trim().split(/\s+/).filter(Boolean);
    function focus(on) {
      body.querySelectorAll("mark[data-quotes]").forEach(function (mark) {
        const keys = mark.dataset.quotes.split(" ");
        if (ids.some(function (id) { return keys.indexOf(id) !== -1; })) {
          mark.classList.toggle("sco-focus", on);
        }
      });
    }
    row.addEventListener("mouseenter", function () { focus(true); });
    row.addEventListener("mouseleave", function () { focus(false); });
    row.addEventListener("focusin", function () { focus(true); });
    row.addEventListener("focusout", function () { focus(false); });
  });
  const form = document.getElementById("quote-form");
  if (!form) {
    return;
  }
  const start = document.getElementById("quote-start");
  const end = document.getElementById("quote-end");
  const words = document.getElementById("quote-words");

  function codePoints(text) {
    return Array.from(text).length;
  }

  function offsetOf(node, offset) {
    const range = document.createRange();
    range.selectNodeContents(body);
    range.setEnd(node, offset);
    return codePoints(range.toString());
  }

  function currentSelection() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    const range = selection.getRangeAt(0);
    if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) {
      return null;
    }
    return {
      start: offsetOf(range.startContainer, range.startOffset),
      end: offsetOf(range.endContainer, range.endOffset),
      text: range.toString(),
    };
  }

  // The selection as the quote picker names quotes: the words around it and its
  // offsets, so that two passages with the same words read differently.
  function showContext(target, picked) {
    const all = Array.from(body.textContent);
    const mark = document.createElement("mark");
    mark.textContent = picked.text;
    target.replaceChildren(
      "…" + all.slice(Math.max(0, picked.start - 40), picked.start).join(""),
      mark,
      all.slice(picked.end, picked.end + 40).join("") + "… [" + picked.start + "–" + picked.end + "]"
    );
  }

  function fillFromSelection() {
    const picked = currentSelection();
    if (!picked) {
      return false;
    }
    start.value = picked.start;
    end.value = picked.end;
    words.value = picked.text;
    if (record) {
      document.getElementById("record-start").value = picked.start;
      document.getElementById("record-end").value = picked.end;
      showContext(document.getElementById("record-context"), picked);
      record.hidden = false;
    }
    return true;
  }

  document.addEventListener("selectionchange", fillFromSelection);
  words.addEventListener("input", function () {
    // Typed words are anchored on the server instead.
    start.value = "";
    end.value = "";
  });
  document.addEventListener("keydown", function (event) {
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "q" && !typing && !event.ctrlKey && !event.metaKey && fillFromSelection()) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
