/* global window, document, URL */
/**
 * DigiPalīgs chat widget for the municipality's web pages:
 *
 *   <script src="https://HOST/widget.js" data-lang="lv" defer></script>
 *
 * Adds a round chat button (bottom right) that opens a panel with the chat in an iframe
 * (HOST/?embed=1&lang=..). Everything lives in one shadow root with one <style>, so the host
 * page's styles and ours do not mix; the only global is window.DigiPaligs (open/close/toggle).
 * The chat is loaded on the first open only: visitors who never open it send nothing to HOST.
 */
(function () {
  "use strict";

  if (window.DigiPaligs) return; // included twice

  var script = document.currentScript;
  if (!script || !script.src) {
    var candidates = document.querySelectorAll('script[src*="widget.js"]');
    script = candidates[candidates.length - 1];
  }
  if (!script || !script.src) return;

  var scriptUrl = new URL(script.src, document.baseURI);
  var origin = scriptUrl.origin;

  var TEXTS = {
    lv: { open: "Atvērt DigiPalīgu – digitālo palīgu", close: "Aizvērt DigiPalīgu", frame: "DigiPalīgs – tērzēšana ar digitālo palīgu" },
    ru: { open: "Открыть DigiPalīgs – цифрового помощника", close: "Закрыть DigiPalīgs", frame: "DigiPalīgs – чат с цифровым помощником" },
    en: { open: "Open DigiPalīgs, the digital assistant", close: "Close DigiPalīgs", frame: "DigiPalīgs – chat with the digital assistant" },
  };

  function pickLang() {
    var asked = (script.getAttribute("data-lang") || document.documentElement.lang || "").toLowerCase().slice(0, 2);
    return TEXTS[asked] ? asked : "lv";
  }
  var lang = pickLang();
  var text = TEXTS[lang];

  // Icons are built as DOM nodes (no innerHTML: pages with Trusted Types keep working).
  var SVG_NS = "http://www.w3.org/2000/svg";
  function svgNode(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    for (var name in attrs) node.setAttribute(name, attrs[name]);
    return node;
  }
  function icon(kind, size) {
    var svg = svgNode("svg", { viewBox: "0 0 24 24", width: String(size), height: String(size), "aria-hidden": "true", focusable: "false" });
    if (kind === "chat") {
      svg.appendChild(svgNode("path", { fill: "currentColor", d: "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9.4l-4.7 3.76A1 1 0 0 1 3 21v-3.1A2 2 0 0 1 2 16V5a2 2 0 0 1 2-2z" }));
      for (var x = 8; x <= 16; x += 4) svg.appendChild(svgNode("circle", { cx: String(x), cy: "10.5", r: "1.4", fill: "#166534" }));
    } else {
      svg.appendChild(svgNode("path", { fill: "none", stroke: "currentColor", "stroke-width": "2.6", "stroke-linecap": "round", d: "M6 6l12 12M18 6L6 18" }));
    }
    return svg;
  }

  var CSS = [
    ":host { all: initial; }",
    ".digipaligs-launcher, .digipaligs-panel, .digipaligs-panel * { box-sizing: border-box; }",
    ".digipaligs-launcher {",
    "  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;",
    "  width: 64px; height: 64px; margin: 0; padding: 0;",
    "  display: flex; align-items: center; justify-content: center;",
    "  border: 3px solid #fff; border-radius: 50%;",
    "  background: #166534; color: #fff; cursor: pointer;",
    "  box-shadow: 0 4px 14px rgba(0, 0, 0, 0.28);",
    "  transition: transform 0.15s ease, background-color 0.15s ease;",
    "  -webkit-tap-highlight-color: transparent;",
    "}",
    ".digipaligs-launcher:hover { background: #14532d; transform: scale(1.05); }",
    ".digipaligs-launcher:focus { outline: none; }",
    ".digipaligs-launcher:focus-visible { outline: 3px solid #1e40af; outline-offset: 3px; }",
    ".digipaligs-panel {",
    "  position: fixed; right: 20px; bottom: 100px; z-index: 2147483001;",
    "  width: 420px; max-width: calc(100vw - 40px);",
    "  height: 700px; max-height: calc(100vh - 124px);",
    "  display: flex; flex-direction: column; overflow: hidden;",
    "  background: #fff; border: 1px solid #c9d3cd; border-radius: 16px;",
    "  box-shadow: 0 12px 40px rgba(0, 0, 0, 0.25);",
    "  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif;",
    "  animation: digipaligs-in 0.18s ease-out;",
    "}",
    ".digipaligs-panel[hidden] { display: none; }",
    ".digipaligs-bar {",
    "  flex: none; display: flex; align-items: center; justify-content: space-between; gap: 8px;",
    "  padding: 6px 6px 6px 16px; background: #166534; color: #fff;",
    "}",
    ".digipaligs-title { display: flex; align-items: center; gap: 8px; margin: 0; font-size: 19px; font-weight: 700; line-height: 1.2; color: #fff; }",
    ".digipaligs-title svg { flex: none; }",
    ".digipaligs-close {",
    "  flex: none; width: 48px; height: 48px; margin: 0; padding: 0;",
    "  display: flex; align-items: center; justify-content: center;",
    "  border: 0; border-radius: 10px; background: transparent; color: #fff; cursor: pointer;",
    "}",
    ".digipaligs-close:hover { background: #14532d; }",
    ".digipaligs-close:focus { outline: none; }",
    ".digipaligs-close:focus-visible { outline: 3px solid #fff; outline-offset: -4px; }",
    ".digipaligs-frame { flex: 1 1 auto; display: block; width: 100%; min-height: 0; margin: 0; border: 0; background: #f3f6f4; }",
    "@media (max-width: 600px), (max-height: 560px) {",
    "  .digipaligs-panel { inset: 0; right: 0; bottom: 0; width: 100%; max-width: none; height: 100%; max-height: none; border: 0; border-radius: 0; }",
    "  .digipaligs-open .digipaligs-launcher { display: none; }",
    "}",
    "@keyframes digipaligs-in { from { opacity: 0; transform: translateY(12px); } to { opacity: 1; transform: none; } }",
    "@media (prefers-reduced-motion: reduce) { .digipaligs-panel, .digipaligs-launcher { animation: none; transition: none; } }",
    "@media (forced-colors: active) { .digipaligs-launcher, .digipaligs-panel { border: 2px solid CanvasText; } }",
    "@media print { .digipaligs-launcher, .digipaligs-panel { display: none !important; } }",
  ].join("\n");

  var host = document.createElement("div");
  host.setAttribute("data-digipaligs", "");
  host.style.cssText = "all: initial !important; position: static !important;";
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;

  // One style sheet inside the shadow root. A constructed sheet is not subject to the host
  // page's Content-Security-Policy style-src; older browsers get one <style> element.
  var style = null;
  var adopted = false;
  if (root !== host && "adoptedStyleSheets" in root && typeof window.CSSStyleSheet === "function") {
    try {
      var sheet = new window.CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
      adopted = true;
    } catch {
      adopted = false;
    }
  }
  if (!adopted) {
    style = document.createElement("style");
    style.textContent = CSS;
  }

  var wrap = document.createElement("div");
  wrap.className = "digipaligs-root";

  var panel = document.createElement("div");
  panel.className = "digipaligs-panel";
  panel.id = "digipaligs-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", "DigiPalīgs");
  panel.setAttribute("lang", lang);
  panel.hidden = true;

  var bar = document.createElement("div");
  bar.className = "digipaligs-bar";
  var title = document.createElement("p");
  title.className = "digipaligs-title";
  title.appendChild(icon("chat", 24));
  title.appendChild(document.createTextNode("DigiPalīgs"));
  var closeButton = document.createElement("button");
  closeButton.type = "button";
  closeButton.className = "digipaligs-close";
  closeButton.setAttribute("aria-label", text.close);
  closeButton.title = text.close;
  closeButton.appendChild(icon("close", 26));
  bar.appendChild(title);
  bar.appendChild(closeButton);
  panel.appendChild(bar);

  var launcher = document.createElement("button");
  launcher.type = "button";
  launcher.className = "digipaligs-launcher";
  launcher.setAttribute("aria-controls", panel.id);
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("lang", lang);

  var frame = null;
  var frameLoaded = false;
  var isOpen = false;

  function paintLauncher() {
    launcher.setAttribute("aria-label", isOpen ? text.close : text.open);
    launcher.title = isOpen ? text.close : text.open;
    launcher.textContent = "";
    launcher.appendChild(isOpen ? icon("close", 26) : icon("chat", 30));
  }

  function finePointer() {
    return typeof window.matchMedia === "function" && window.matchMedia("(pointer: fine)").matches;
  }

  function focusInside() {
    if (finePointer() && frame && frameLoaded && frame.contentWindow) {
      // Focus the question field (a keyboard or mouse user can type at once). On touch screens
      // focus stays on the close button so the keyboard does not cover the greeting.
      frame.focus();
      frame.contentWindow.postMessage({ type: "digipaligs:focus" }, origin);
    } else {
      closeButton.focus();
    }
  }

  function ensureFrame() {
    if (frame) return;
    frame = document.createElement("iframe");
    frame.className = "digipaligs-frame";
    frame.title = text.frame;
    frame.setAttribute("referrerpolicy", "strict-origin");
    // The chat's 🎤 button records in the frame (voice questions).
    frame.setAttribute("allow", "microphone");
    frame.addEventListener("load", function () {
      frameLoaded = true;
      if (isOpen) focusInside();
    });
    var src = new URL("./", scriptUrl);
    src.searchParams.set("embed", "1");
    src.searchParams.set("lang", lang);
    frame.src = src.href;
    panel.appendChild(frame);
  }

  function open() {
    if (isOpen) return;
    ensureFrame();
    isOpen = true;
    panel.hidden = false;
    wrap.classList.add("digipaligs-open");
    launcher.setAttribute("aria-expanded", "true");
    paintLauncher();
    if (frameLoaded) focusInside();
    else closeButton.focus();
  }

  function close() {
    if (!isOpen) return;
    isOpen = false;
    panel.hidden = true;
    wrap.classList.remove("digipaligs-open");
    launcher.setAttribute("aria-expanded", "false");
    paintLauncher();
    launcher.focus();
  }

  function toggle() {
    if (isOpen) close();
    else open();
  }

  launcher.addEventListener("click", toggle);
  closeButton.addEventListener("click", close);
  document.addEventListener("keydown", function (event) {
    if (isOpen && (event.key === "Escape" || event.key === "Esc")) close();
  });
  // Escape pressed inside the chat (the iframe) arrives as a message from it.
  window.addEventListener("message", function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
    var data = event.data;
    if (data && data.type === "digipaligs:close") close();
  });

  paintLauncher();
  wrap.appendChild(panel);
  wrap.appendChild(launcher);
  if (style) root.appendChild(style);
  root.appendChild(wrap);

  function mount() {
    document.body.appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);

  window.DigiPaligs = { open: open, close: close, toggle: toggle };
})();
