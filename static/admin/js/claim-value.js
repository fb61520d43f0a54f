// Shows the value fields that suit the claim's property (an entity, a date, an event or
// text). The table of which property takes which kinds is the model's (Claim.VALUE_KINDS),
// handed over by the admin form as data-value-kinds; this script only mirrors it. Without
// JavaScript every field stays visible and validation says which to fill.
(function () {
  "use strict";
  const property = document.getElementById("id_property");
  if (!property || !property.dataset.valueKinds) {
    return;
  }
  const kinds = JSON.parse(property.dataset.valueKinds);
  const rows = {
    entity: document.querySelector(".field-value_entity"),
    date: document.querySelector(".field-value_date, .field-box.field-value_date")?.closest(".form-row"),
    event: document.querySelector(".field-value_event"),
    text: document.querySelector(".field-value_text"),
  };

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
})();
