// Shows the value fields that suit the claim's property (an entity, a date, an event or
// text). The table of which property takes which kinds is the model's (Claim.VALUE_KINDS),
// handed over by the form as data-value-kinds on the property select; this script only
// mirrors it. It serves the claim page (rows .field-value_*) and the article page's
// "Record a claim" form (blocks marked data-value-kind). Without JavaScript every field
// stays visible and validation says which to fill.
(function () {
  "use strict";

  function rowsOf(property) {
    const marked = property.form ? property.form.querySelectorAll("[data-value-kind]") : [];
    if (marked.length) {
      const rows = {};
      marked.forEach(function (row) { rows[row.dataset.valueKind] = row; });
      return rows;
    }
    return {
      entity: document.querySelector(".field-value_entity"),
      date: document.querySelector(".field-value_date, .field-box.field-value_date")?.closest(".form-row"),
      event: document.querySelector(".field-value_event"),
      text: document.querySelector(".field-value_text"),
    };
  }

  document.querySelectorAll("select[data-value-kinds]").forEach(function (property) {
    const kinds = JSON.parse(property.dataset.valueKinds);
    const rows = rowsOf(property);

    function show() {
      const wanted = kinds[property.value] || null;
      for (const [kind, row] of Object.entries(rows)) {
        if (row) {
          row.hidden = wanted !== null && !wanted.includes(kind);
        }
      }
    }

    property.addEventListener("change", show);
    show();
  });
})();
