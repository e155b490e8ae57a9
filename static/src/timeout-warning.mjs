// Warn before saved answers expire and let the person keep them (WCAG 2.2.1).
// The page states the time limit in words too, so this only adds a warning.
export function initTimeoutWarning() {
  const dialog = document.getElementById("timeout-warning");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const seconds = Number(dialog.dataset.timeoutSeconds);
  const warnBefore = Number(dialog.dataset.warnBeforeSeconds);
  const form = dialog.querySelector("form");
  let timer;

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => dialog.showModal(), Math.max(seconds - warnBefore, 0) * 1000);
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    dialog.close();
    if (response.ok) schedule();
  });
  schedule();
}
