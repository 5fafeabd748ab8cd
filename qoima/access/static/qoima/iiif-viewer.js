// Start Mirador on the record page, on the canvas chosen by ?page=N (set by the server).
(function () {
  "use strict";
  function start() {
    var el = document.getElementById("iiif-viewer");
    if (!el || !window.Mirador || el.dataset.started) return;
    el.dataset.started = "1";
    window.qoimaViewer = window.Mirador.viewer({
      id: "iiif-viewer",
      windows: [{manifestId: el.dataset.manifest, canvasId: el.dataset.canvas, thumbnailNavigationPosition: "far-bottom"}],
      window: {allowClose: false, allowMaximize: false, allowFullscreen: true, sideBarOpenByDefault: false},
      workspaceControlPanel: {enabled: false},
      workspace: {showZoomControls: true}
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
