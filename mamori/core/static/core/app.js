// Mamori's only script of its own (no inline script: the Content-Security-Policy forbids it).

// A <select data-autosubmit> sends its form as soon as a choice is made.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.requestSubmit();
  }
});

// An irreversible act asks first: a submit button (or its form) with data-confirm="what will happen"
// opens a dialog that says so; only 「実行する」 sends the form. Without the script the form is sent as before.
let confirmed = null;
function askFirst(form, submitter, message) {
  const dialog = document.createElement("dialog");
  dialog.className = "confirm";
  dialog.setAttribute("aria-labelledby", "confirm-title");
  const title = document.createElement("h2");
  title.id = "confirm-title";
  title.textContent = "確認してください";
  const text = document.createElement("p");
  text.textContent = message;
  const actions = document.createElement("div");
  actions.className = "actions";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "btn secondary";
  cancel.textContent = "やめる";
  const go = document.createElement("button");
  go.type = "button";
  go.className = "btn";
  go.textContent = (submitter && submitter.dataset.confirmLabel) || "実行する";
  actions.append(cancel, go);
  dialog.append(title, text, actions);
  document.body.append(dialog);
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => { dialog.remove(); if (submitter) submitter.focus(); });
  go.addEventListener("click", () => {
    confirmed = submitter || form;
    dialog.close();
    form.requestSubmit(submitter || undefined);
  });
  dialog.showModal();
  cancel.focus();
}
document.addEventListener("submit", (event) => {
  const form = event.target;
  const submitter = event.submitter;
  const message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
  if (!message) return;
  if (confirmed === (submitter || form)) { confirmed = null; return; }
  event.preventDefault();
  askFirst(form, submitter, message);
}, true);

// A form that comes back with errors is never folded shut: every <details> holding an error opens,
// and focus goes to the first field in error (or the error summary when the error is the form's own).
function openErrors(root) {
  const errors = root.querySelectorAll(".errorlist, .has-error, [aria-invalid='true'], .stale-edit, [role='alert']");
  errors.forEach((node) => {
    for (let d = node.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
  });
  const field = root.querySelector("[aria-invalid='true'], .has-error input, .has-error select, .has-error textarea");
  const target = field || (errors.length ? errors[0] : null);
  if (target) {
    if (!field && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: false });
  }
}
document.addEventListener("DOMContentLoaded", () => openErrors(document));
document.addEventListener("htmx:afterSwap", (event) => openErrors(event.detail.target));
