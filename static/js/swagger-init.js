/* Starts Swagger UI on /api/docs/ (templates/api/swagger_ui.html).
   A static file, not an inline script, so the page works under the site's CSP
   (script-src 'self'): its settings come from the data attributes of #swagger-ui. */
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  const csrfHeader = root.dataset.csrfHeader || "X-CSRFToken";
  const csrfToken = (document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) || [])[1];

  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    // No top bar: its logo is an SVG with an inline <style> that the CSP (style-src
    // 'self') refuses, and its URL box is of no use for one archive's own schema.
    layout: "BaseLayout",
    deepLinking: true,
    // No call to the public validator (an image from another origin): offline and CSP.
    validatorUrl: null,
    requestInterceptor: (request) => {
      if (csrfToken) {
        request.headers[csrfHeader] = csrfToken;
      }
      return request;
    },
  });
})();
