// The chat page's behaviour that Gradio does not give: citation markers as buttons with a
// preview that jump to their source card, a Copy that gives plain text and a source list,
// feedback only on finished answers, bubbles reachable with Tab. Everything it shows comes from
// the sources panel's data attribute (JSON built and escaped by the server) and is put in the
// page as text (textContent), never as HTML.
(() => {
  "use strict";
  const MARKER = /\[(\d{1,3})\]/g;
  let answers = [];
  let scheduled = false;
  let preview = null;

  function readAnswers() {
    const holder = document.querySelector("#sources .answers-data");
    if (!holder) return;
    try {
      const parsed = JSON.parse(holder.getAttribute("data-answers") || "[]");
      if (Array.isArray(parsed)) answers = parsed;
    } catch (_) { /* keep the last good copy */ }
  }

  function linkMarkers(content, index, answer) {
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (!node.parentElement.closest("button.cite") && MARKER.test(node.data)) nodes.push(node);
      MARKER.lastIndex = 0;
    }
    for (const node of nodes) {
      const parts = document.createDocumentFragment();
      let last = 0;
      for (const match of node.data.matchAll(MARKER)) {
        const cite = answer.cites[match[1]];
        if (!cite) continue;
        parts.append(node.data.slice(last, match.index));
        const button = document.createElement("button");
        button.type = "button";
        button.className = "cite";
        button.textContent = match[0];
        button.dataset.answer = String(index);
        button.dataset.n = match[1];
        button.setAttribute("aria-label", `Source ${match[1]}: ${cite.title}`);
        parts.append(button);
        last = match.index + match[0].length;
      }
      if (last === 0) continue;
      parts.append(node.data.slice(last));
      node.replaceWith(parts);
    }
  }

  function enhance() {
    scheduled = false;
    readAnswers();
    const chat = document.getElementById("chat");
    if (!chat) return;
    chat.querySelectorAll("[data-testid='user']").forEach((bubble, i) => {
      label(bubble, `Question ${i + 1}`);
    });
    chat.querySelectorAll("[data-testid='bot']").forEach((bubble, i) => {
      const answer = answers[i];
      const content = bubble.querySelector(".message-content") || bubble;
      const finished = Boolean(answer) && !bubble.textContent.includes("▍");
      label(bubble, `Answer ${i + 1}`);
      if (finished && answer.ok) linkMarkers(content, i, answer);
      let tools = bubble.querySelector(".answer-tools");
      if (finished && answer.ok && !tools) {
        tools = document.createElement("div");
        tools.className = "answer-tools";
        const copy = document.createElement("button");
        copy.type = "button";
        copy.className = "copy-answer";
        copy.dataset.answer = String(i);
        copy.textContent = "Copy answer and sources";
        tools.append(copy);
        content.after(tools);
      } else if (tools && !(finished && answer.ok)) {
        tools.remove();
      }
      // Like and dislike only on a finished answer, never on an error or a half-streamed one.
      const row = bubble.closest(".message-row");
      const buttons = row && row.nextElementSibling;
      if (buttons && buttons.classList.contains("message-buttons")) {
        const show = finished && answer.ok;
        buttons.querySelectorAll("button[aria-label='Like'], button[aria-label='Dislike']")
          .forEach((b) => { b.hidden = !show; });
      }
    });
  }

  function label(bubble, name) {
    if (bubble.getAttribute("aria-label") !== name) bubble.setAttribute("aria-label", name);
    if (bubble.getAttribute("role") !== "article") bubble.setAttribute("role", "article");
    if (bubble.tabIndex !== 0) bubble.tabIndex = 0;
  }

  function schedule() {
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(enhance);
    }
  }

  function showPreview(button) {
    const answer = answers[Number(button.dataset.answer)];
    const cite = answer && answer.cites[button.dataset.n];
    if (!cite) return;
    hidePreview();
    preview = document.createElement("div");
    preview.className = "cite-preview";
    preview.id = "cite-preview";
    preview.setAttribute("role", "tooltip");
    const title = document.createElement("div");
    title.className = "t";
    title.textContent = `[${button.dataset.n}] ${cite.title}`;
    const meta = document.createElement("div");
    meta.className = "m";
    meta.textContent = cite.attribution;
    const quote = document.createElement("q");
    quote.textContent = cite.quote;
    preview.append(title, meta, quote);
    document.body.append(preview);
    const box = button.getBoundingClientRect();
    const width = preview.offsetWidth;
    const left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
    const below = box.bottom + 6 + preview.offsetHeight < window.innerHeight;
    preview.style.left = `${left}px`;
    preview.style.top = below ? `${box.bottom + 6}px` : `${Math.max(8, box.top - 6 - preview.offsetHeight)}px`;
    button.setAttribute("aria-describedby", "cite-preview");
  }

  function hidePreview() {
    if (preview) preview.remove();
    preview = null;
    document.querySelectorAll("button.cite[aria-describedby]").forEach((b) => b.removeAttribute("aria-describedby"));
  }

  function goToSource(index, n) {
    // Clicking inside an answer also selects it, so the panel switches to its sources; wait.
    const deadline = Date.now() + 8000;
    const attempt = () => {
      const panel = document.querySelector(`#sources .sources-of[data-answer="${index}"]`);
      const card = panel && panel.querySelector(`.source-card[data-n="${n}"]`);
      if (card) {
        document.querySelectorAll(".source-card.highlight").forEach((c) => c.classList.remove("highlight"));
        card.classList.add("highlight");
        card.scrollIntoView({ behavior: "smooth", block: "center" });
        card.focus({ preventScroll: true });
      } else if (Date.now() < deadline) {
        setTimeout(attempt, 100);
      }
    };
    attempt();
  }

  async function copyAnswer(button) {
    const answer = answers[Number(button.dataset.answer)];
    if (!answer) return;
    let done = false;
    try {
      await navigator.clipboard.writeText(answer.copy);
      done = true;
    } catch (_) {
      const area = document.createElement("textarea");
      area.value = answer.copy;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.append(area);
      area.select();
      done = document.execCommand("copy");
      area.remove();
    }
    button.textContent = done ? "Copied" : "Copy failed: select the text instead";
    setTimeout(() => { button.textContent = "Copy answer and sources"; }, 2000);
  }

  document.addEventListener("click", (event) => {
    const cite = event.target.closest && event.target.closest("button.cite");
    if (cite) {
      hidePreview();
      goToSource(cite.dataset.answer, cite.dataset.n);
      return;
    }
    const copy = event.target.closest && event.target.closest("button.copy-answer");
    if (copy) {
      event.stopPropagation();
      copyAnswer(copy);
    }
  }, true);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") hidePreview();
    // Enter on a focused bubble selects it, as a click does: its sources show.
    const bubble = event.target;
    if (event.key === "Enter" && bubble.matches && bubble.matches("#chat [data-testid='bot']")) {
      bubble.click();
    }
  });
  for (const kind of ["mouseover", "focusin"]) {
    document.addEventListener(kind, (event) => {
      const cite = event.target.closest && event.target.closest("button.cite");
      if (cite) showPreview(cite);
    });
  }
  for (const kind of ["mouseout", "focusout"]) {
    document.addEventListener(kind, (event) => {
      if (event.target.closest && event.target.closest("button.cite")) hidePreview();
    });
  }

  function start() {
    new MutationObserver(schedule).observe(document.body, {
      subtree: true, childList: true, characterData: true,
    });
    schedule();
    // Tell a page that frames the embed that it loaded (it shows a hint if this never comes).
    if (window.parent !== window) window.parent.postMessage({ newsroomAssistant: "ready" }, "*");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
