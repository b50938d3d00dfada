// plandraft: the few lines of script the page uses. Everything works without it, only less smoothly.
"use strict";
document.documentElement.classList.add("js");

function pollJob(box) {
  const id = box.dataset.job;
  const bar = box.querySelector("progress");
  const message = box.querySelector(".job-message");
  const label = box.querySelector(".job-label");
  const tick = async () => {
    let status;
    try {
      const response = await fetch("/jobs/" + encodeURIComponent(id), { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      status = await response.json();
    } catch (e) {
      setTimeout(tick, 2000); // the server may be busy; try again
      return;
    }
    if (bar) {
      bar.max = Math.max(status.total, 1);
      bar.value = status.done;
    }
    if (status.state === "done") {
      if (box.dataset.stay) {
        // A job this page did not start (the first load, another tab's): show this page again, with
        // its filters, now that the job is done.
        const here = new URL(window.location.href);
        here.searchParams.delete("job");
        window.location.replace(here.toString());
      } else {
        window.location.href = status.next || "/";
      }
      return;
    }
    if (status.state === "failed") {
      box.classList.add("failed");
      if (bar) bar.hidden = true;
      label.textContent = status.label + "：うまくいきませんでした";
      message.textContent = status.error;
      return;
    }
    const count = status.total > 1 ? "（" + status.done + " / " + status.total + "）" : "";
    message.textContent = (status.message || "") + count;
    setTimeout(tick, 500);
  };
  tick();
}

document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("section.job[data-job]");
  if (box && !box.classList.contains("failed") && box.querySelector("progress:not([hidden])")) pollJob(box);

  // Review: a pillar is saved only by its 変更 button (a key press in the select never saves); a
  // changed select is marked until then.
  for (const select of document.querySelectorAll("form.correct select")) {
    const saved = select.value;
    select.addEventListener("change", () => {
      select.form.classList.toggle("changed", select.value !== saved);
    });
    select.form.addEventListener("submit", () => select.form.classList.add("saving"));
  }
  // Back on the review page after a change: the focus is on the row changed, not the top of the page.
  const target = window.location.hash.startsWith("#row-") ? document.getElementById(window.location.hash.slice(1)) : null;
  const field = target ? target.querySelector("form.correct select") : null;
  if (field) {
    // Again once the page is loaded: the browser's own jump to the #row- anchor clears the focus.
    field.focus({ preventScroll: true });
    window.addEventListener("load", () => setTimeout(() => field.focus({ preventScroll: true }), 0));
  }

  // Forms that remove something ask first.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
        return;
      }
      const confirmed = form.querySelector("input[name=confirmed]");
      if (confirmed) confirmed.value = "1";
    });
  }

  // Upload: refuse too large a batch before sending it.
  for (const form of document.querySelectorAll("form.upload")) {
    form.addEventListener("submit", (event) => {
      const limit = Number(form.dataset.maxBytes);
      const files = form.querySelector("input[type=file]").files;
      let total = 0;
      for (const f of files) total += f.size;
      const status = form.querySelector(".upload-status");
      if (limit && total > limit) {
        event.preventDefault();
        status.textContent = "ファイルが大きすぎます（一度に " + Math.round(limit / 1048576) + " MB まで）。分けて送ってください。";
        status.classList.add("error");
        return;
      }
      status.textContent = "送信しています…";
    });
  }

  for (const button of document.querySelectorAll(".note .close")) {
    button.addEventListener("click", () => button.parentElement.remove());
  }

  for (const button of document.querySelectorAll(".js-back")) {
    button.addEventListener("click", () => history.back());
  }
});
