// Forms marked data-confirm="question" ask before they are sent (no inline handlers: the
// Content-Security-Policy allows scripts from this site's files only).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !confirm(form.dataset.confirm)) event.preventDefault();
}, true);
