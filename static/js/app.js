// Small progressive enhancements shared by all pages. Every page works without them.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.togglesClass) return;
  const target = document.getElementById(input.dataset.togglesTarget);
  if (target) target.classList.toggle(input.dataset.togglesClass, input.checked);
});

// Export menus (<details class="cf-export-menu">) open and close without JavaScript; with it,
// a click elsewhere or Escape closes an open menu.
{
  const openMenus = () => document.querySelectorAll("details.cf-export-menu[open]");
  document.addEventListener("click", (event) => {
    openMenus().forEach((menu) => {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    openMenus().forEach((menu) => {
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });
}

// Print buttons ([data-print], hidden until here); without JavaScript the browser's own Print
// works the same.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
});
