// The account menu in the top bar is a <details>: it also closes on a click elsewhere or on Escape,
// as menus do. Without this file it still opens and closes by its own summary.
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details.account[open]")) {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const menu of document.querySelectorAll("details.account[open]")) {
    menu.removeAttribute("open");
    menu.querySelector("summary")?.focus();
  }
});
