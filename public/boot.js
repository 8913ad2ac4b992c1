// Start the app once the editor bundle has defined window.KubeficheEditor.
import init from "/kubefiche_app.js";

function ready() {
  return new Promise((resolve) => {
    if (window.KubeficheEditor) return resolve();
    window.addEventListener("DOMContentLoaded", () => resolve(), { once: true });
  });
}

await ready();
await init({ module_or_path: "/kubefiche_app_bg.wasm" });
