// Quote by selection: turns the selected words of the article body into offsets
// (Python string indices, i.e. code points) and submits the quote form.
// Without JavaScript the same form takes typed or pasted words.
(function () {
  "use strict";
  const body = document.getElementById("article-body");
  const form = document.getElementById("quote-form");
  if (!body || !form) {
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

  function fillFromSelection() {
    const picked = currentSelection();
    if (!picked) {
      return false;
    }
    start.value = picked.start;
    end.value = picked.end;
    words.value = picked.text;
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
