// The preview page: shows one briefing's view and follows the server's events.
"use strict";
(function () {
  const name = decodeURIComponent(location.pathname.replace(/^\/preview\//, ""));
  const $ = (id) => document.getElementById(id);
  let shown = { html: null, pages: [] };

  function text(tag, content, cls) {
    const el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  }

  function showHtml(url) {
    if (!url || url === shown.html) return;
    const frame = $("html-view");
    let y = 0;
    try { y = frame.contentWindow.scrollY; } catch (e) { y = 0; }
    frame.onload = () => {
      try { frame.contentWindow.scrollTo(0, y); } catch (e) { /* a new page */ }
      document.body.dataset.htmlShown = String(Date.now());  // when it was on screen (tests)
    };
    frame.src = url;
    shown.html = url;
  }

  function showPages(view) {
    const box = $("pages");
    $("page-count").textContent = view.pages.length ? String(view.pages.length) : "";
    if (view.pdf) { $("pdf-link").href = view.pdf; $("pdf-link").hidden = false; }
    if (!view.pages.length) {
      if (!box.children.length) box.replaceChildren(text("p", view.pdf ? "No page images." : "The PDF is being made…", "note"));
      return;
    }
    if (view.pages.join() === shown.pages.join()) return;
    const imgs = Array.from(box.querySelectorAll("img"));
    const loading = [];
    view.pages.forEach((url, i) => {
      let img = imgs[i];
      if (!img) { img = document.createElement("img"); box.appendChild(img); }
      img.alt = "Page " + (i + 1);
      if (img.getAttribute("src") !== url) {  // unchanged pages keep their image
        if (img.getAttribute("src")) flash(img);
        img.src = url;
        loading.push(img.decode().catch(() => null));
      }
    });
    // when every new page image was ready to paint (tests and bench/preview.py read it)
    Promise.all(loading).then(() => { document.body.dataset.pagesShown = String(Date.now()); });
    imgs.slice(view.pages.length).forEach((img) => img.remove());
    box.querySelectorAll("p.note").forEach((p) => p.remove());
    shown.pages = view.pages.slice();
  }

  function flash(img) {  // a page that changed is outlined for a moment
    img.classList.remove("changed");
    void img.offsetWidth;
    img.classList.add("changed");
  }

  function showOutline(outline) {
    const list = $("outline");
    list.replaceChildren(...outline.map((h) => {
      const li = text("li", "", "l" + h.level);
      const a = text("a", h.title);
      a.href = "#" + h.id;
      a.onclick = (ev) => {
        ev.preventDefault();
        const view = $("html-view").contentWindow;
        const target = view && view.document.getElementById(h.id);
        // scrolls the frame alone (scrollIntoView would scroll the page around it too)
        if (target) view.scrollTo(0, target.getBoundingClientRect().top + view.scrollY - 8);
        const page = h.page == null ? null : $("pages").querySelectorAll("img")[h.page];
        if (page) $("pages").scrollTo(0, page.offsetTop - $("pages").offsetTop - 8);
      };
      li.appendChild(a);
      return li;
    }));
  }

  function showWarnings(warnings) {
    $("warning-count").textContent = String(warnings.length);
    $("warnings").replaceChildren(...warnings.map((w) => text("li", w)));
  }

  function showErrors(errors) {
    $("error").hidden = errors.length === 0;
    $("error-list").replaceChildren(...errors.map((e) => text("li", e)));
  }

  function status(view) {
    const s = view.seconds || {};
    if (view.state === "error") return "Build failed: last good render shown";
    if (view.state === "html") return "HTML " + (s.html || 0).toFixed(2) + " s · making the PDF…";
    if (view.state === "ready") return "Up to date · HTML " + (s.html || 0).toFixed(2) + " s · PDF " + (s.pdf || 0).toFixed(2) + " s";
    return "Building…";
  }

  function show(view) {
    if (view.name !== name) return;
    document.body.dataset.state = view.state;
    document.body.dataset.generation = String(view.generation);
    $("status").textContent = status(view);
    showErrors(view.errors);
    if (view.state === "error") return;  // keep the last good render as it is
    showHtml(view.html);
    showOutline(view.outline);
    showWarnings(view.warnings);
    if (view.state === "ready") showPages(view);
  }

  function load() {
    fetch("/api/state/" + encodeURIComponent(name), { cache: "no-store" })
      .then((r) => r.json()).then(show).catch(() => { $("status").textContent = "Preview server not reachable"; });
  }

  $("title").textContent = name;
  document.title = name + " · briefwright preview";
  const events = new EventSource("/events");
  // "failed", not "error": an event named "error" would also fire EventSource's onerror
  for (const kind of ["html", "pdf", "failed"]) {
    events.addEventListener(kind, (ev) => show(JSON.parse(ev.data)));
  }
  events.onopen = load;
  events.onerror = () => { $("status").textContent = "Reconnecting to the preview server…"; };
  load();
})();
