// Shows the value field that suits the claim's property (an entity, a date, an event or
// text); without JavaScript every field stays visible and validation says which to fill.
(function () {
  "use strict";
  const property = document.getElementById("id_property");
  if (!property) {
    return;
  }
  const kinds = {
    date: "date",
    announced_event: "event",
    next_meeting: "event",
    format: "text",
    decision: "text",
    outcome_document: "text",
    theme: "text",
    statement: "text",
  };
  const rows = {
    entity: document.querySelector(".field-value_entity"),
    date: document.querySelector(".field-value_date, .field-box.field-value_date")?.closest(".form-row"),
    event: document.querySelector(".field-value_event"),
    text: document.querySelector(".field-value_text"),
  };

  function show() {
    const wanted = kinds[property.value] || (property.value ? "entity" : null);
    for (const [kind, row] of Object.entries(rows)) {
      if (row) {
        row.hidden = wanted !== null && kind !== wanted;
      }
    }
  }

  property.addEventListener("change", show);
  show();
})();
