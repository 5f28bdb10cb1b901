// Small progressive enhancements shared by all pages. Every page works without them.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.togglesClass) return;
  const target = document.getElementById(input.dataset.togglesTarget);
  if (target) target.classList.toggle(input.dataset.togglesClass, input.checked);
});
