// Starts Swagger UI on /docs from the vendored bundle (swagger-ui-bundle), with no inline script,
// so the page's Content-Security-Policy can forbid every script not served by Newsprism itself.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
