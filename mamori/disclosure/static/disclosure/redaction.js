// The redaction page (disclosure/document_file.html): drawing on a page image, or selecting its words, fills the
// 「黒塗りの箇所を追加」 form (page and coordinates in PDF points, origin top left). The form is the real path: typed in
// by keyboard it does the same, and nothing is saved until it is sent. No inline script: the CSP forbids it.
(() => {
  const form = document.getElementById("box-form");
  if (!form) return;
  const field = (name) => form.querySelector(`[name="box-${name}"]`);
  const info = document.getElementById("box-selected");
  const round = (v) => Math.round(v * 10) / 10;
  let wordsMode = false;

  function place(el, r, w, h) {
    el.style.left = `${(100 * r[0]) / w}%`;
    el.style.top = `${(100 * r[1]) / h}%`;
    el.style.width = `${(100 * (r[2] - r[0])) / w}%`;
    el.style.height = `${(100 * (r[3] - r[1])) / h}%`;
  }
  function preview(sheet) {
    document.querySelectorAll(".redact-box.preview").forEach((el) => { if (el.parentNode !== sheet) el.remove(); });
    let el = sheet.querySelector(".redact-box.preview");
    if (!el) {
      el = document.createElement("div");
      el.className = "redact-box preview";
      el.setAttribute("aria-hidden", "true");
      sheet.append(el);
    }
    return el;
  }
  function fill(fig, r, source, text) {
    field("page").value = fig.dataset.page;
    ["x0", "top", "x1", "bottom"].forEach((k, i) => { field(k).value = round(r[i]); });
    field("source").value = source;
    field("text").value = (text || "").slice(0, 200);
    place(preview(fig.querySelector(".redact-sheet")), r, +fig.dataset.width, +fig.dataset.height);
    info.textContent = `${fig.dataset.page}ページの範囲を選びました${text ? `（「${text.slice(0, 40)}」）` : ""}。理由を選んで「黒塗りの箇所を追加」を押してください。`;
    field("reason_code").focus({ preventScroll: true });
  }

  document.querySelectorAll(".redact-page").forEach((fig) => {
    const sheet = fig.querySelector(".redact-sheet.editable");
    if (!sheet) return;
    const w = +fig.dataset.width;
    const h = +fig.dataset.height;
    const clamp = (v, most) => Math.max(0, Math.min(most, v));
    const toPt = (ev) => {
      const b = sheet.getBoundingClientRect();
      return [clamp(((ev.clientX - b.left) / b.width) * w, w), clamp(((ev.clientY - b.top) / b.height) * h, h)];
    };
    const rect = (a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])];
    let start = null;
    sheet.addEventListener("pointerdown", (ev) => {
      if (wordsMode || ev.button !== 0) return;
      ev.preventDefault();
      start = toPt(ev);
      sheet.setPointerCapture(ev.pointerId);
    });
    sheet.addEventListener("pointermove", (ev) => {
      if (start) place(preview(sheet), rect(start, toPt(ev)), w, h);
    });
    sheet.addEventListener("pointerup", (ev) => {
      if (!start) return;
      const r = rect(start, toPt(ev));
      start = null;
      if (r[2] - r[0] >= 2 && r[3] - r[1] >= 2) fill(fig, r, "manual", "");
    });
  });

  // Selecting words: the page's words (page_words) as transparent buttons over the image.
  const toggle = document.getElementById("words-toggle");
  let chosen = [];
  function chooseWord(fig, el, extend) {
    if (!extend || !chosen.length || chosen[0].fig !== fig) {
      chosen.forEach((c) => c.el.classList.remove("chosen"));
      chosen = [];
    }
    chosen.push({ fig, el });
    el.classList.add("chosen");
    const boxes = chosen.map((c) => c.el.dataset.rect.split(",").map(Number));
    const r = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])),
      Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
    fill(fig, [r[0] - 0.5, r[1] - 0.5, r[2] + 0.5, r[3] + 0.5], "text", chosen.map((c) => c.el.dataset.text).join(""));
  }
  async function showWords(fig) {
    const sheet = fig.querySelector(".redact-sheet");
    if (sheet.dataset.wordsLoaded) return;
    sheet.dataset.wordsLoaded = "1";
    const response = await fetch(fig.dataset.words, { credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    const w = +fig.dataset.width;
    const h = +fig.dataset.height;
    data.words.forEach((word) => {
      const el = document.createElement("button");
      el.type = "button";
      el.className = "redact-word";
      el.dataset.rect = [word.x0, word.top, word.x1, word.bottom].join(",");
      el.dataset.text = word.text;
      el.setAttribute("aria-label", `${fig.dataset.page}ページ「${word.text}」を選ぶ`);
      place(el, [word.x0, word.top, word.x1, word.bottom], w, h);
      el.addEventListener("click", (ev) => chooseWord(fig, el, ev.shiftKey));
      sheet.append(el);
    });
  }
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      wordsMode = !wordsMode;
      toggle.setAttribute("aria-pressed", String(wordsMode));
      toggle.textContent = wordsMode ? "文字の選択をやめる（範囲をドラッグで指定）" : "文字を選んで指定";
      document.querySelectorAll(".redact-page").forEach((fig) => {
        fig.classList.toggle("words-mode", wordsMode);
        if (wordsMode) showWords(fig);
      });
    });
  }
})();
