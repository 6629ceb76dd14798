// Entry point: reads window.slideshowConfig (injected by the server) and starts the app.
import { App } from "./app";
import { parseSlideshowConfig } from "./config";
import "./styles.css";

declare global {
  interface Window {
    slideshowConfig?: unknown;
    photomapApp?: App;
  }
}

const root = document.getElementById("app");
if (root) {
  const app = new App(root, parseSlideshowConfig(window.slideshowConfig));
  window.photomapApp = app;
  void app.start();
}
