// Small behaviours without inline script (the Content-Security-Policy forbids it).
document.addEventListener("DOMContentLoaded", () => {
  // The navigation is open by default (no script, wide screen); on a narrow one it folds into "Menu".
  const menu = document.querySelector("details[data-menu]");
  if (menu) {
    const narrow = window.matchMedia("(max-width: 900px)");
    const fit = () => { menu.open = !narrow.matches; };
    fit();
    narrow.addEventListener("change", fit);
  }
  // Warn before leaving the editor with unsaved changes.
  const editor = document.querySelector("textarea[data-editor]");
  if (editor) {
    let dirty = false;
    editor.addEventListener("input", () => { dirty = true; });
    editor.form.addEventListener("submit", () => { dirty = false; });
    window.addEventListener("beforeunload", (e) => { if (dirty) { e.preventDefault(); } });
    // Jump to a finding's line when its location is clicked.
    document.body.addEventListener("click", (e) => {
      const target = e.target.closest("[data-line]");
      if (!target) return;
      const line = parseInt(target.dataset.line, 10);
      const lines = editor.value.split("\n");
      let start = 0;
      for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
      editor.focus();
      editor.setSelectionRange(start, start + (lines[line - 1] || "").length);
      const lineHeight = parseFloat(getComputedStyle(editor).lineHeight) || 18;
      editor.scrollTop = Math.max(0, (line - 5) * lineHeight);
    });
  }
  // A table or code block that scrolls sideways takes the keyboard's focus, so it can be scrolled without a mouse.
  const scrollers = () => {
    document.querySelectorAll("main table, main pre, .table-scroll").forEach((el) => {
      if (el.scrollWidth > el.clientWidth + 1) el.tabIndex = 0;
      else el.removeAttribute("tabindex");
    });
  };
  scrollers();
  window.addEventListener("resize", scrollers);
  document.body.addEventListener("htmx:afterSettle", scrollers);
  // Close the rule doc panel.
  document.body.addEventListener("click", (e) => {
    if (e.target.closest("[data-close-rule]")) {
      document.getElementById("rule-doc").innerHTML = "";
    }
  });
});
