// /docs: the vendored Swagger UI over the app's own /openapi.json. Started from this file, not
// an inline script, so the page keeps the strict CSP of the web page (script-src 'self').
/* global SwaggerUIBundle */
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  // Never send the document to an outside validator (Swagger UI's default badge does).
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
