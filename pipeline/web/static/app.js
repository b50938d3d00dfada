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
      window.location.href = status.next || "/";
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

  // Review: choosing another pillar saves it at once.
  for (const select of document.querySelectorAll("form.correct select")) {
    select.addEventListener("change", () => {
      select.form.classList.add("saving");
      select.form.submit();
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
