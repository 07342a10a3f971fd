// A snapshot's thumbnail opens the picture full size in a dialog, on the events page. The link
// itself leads to the JPEG, so a middle click or "open in new tab" still shows it on its own.
export function startSnapshots() {
  const dialog = document.getElementById("snapshot-dialog");
  if (!dialog) return;
  const picture = dialog.querySelector("figure img");
  const caption = dialog.querySelector("figcaption");
  const alone = dialog.querySelector(".snapshot-actions a");
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-snapshot]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    picture.src = link.getAttribute("href");
    picture.alt = link.querySelector("img")?.alt || "Snapshot";
    caption.textContent = link.dataset.caption || "";
    alone.href = link.getAttribute("href");
    dialog.showModal();
  });
  // A click on the backdrop (outside the picture and its buttons) closes it, as Escape does.
  dialog.addEventListener("click", (event) => event.target === dialog && dialog.close());
}
