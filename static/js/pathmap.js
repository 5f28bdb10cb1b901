// Arrow-key navigation between the nodes of the career path map. Tab order works without it.
document.addEventListener("keydown", (event) => {
  const directions = { ArrowUp: "up", ArrowDown: "down", ArrowLeft: "left", ArrowRight: "right" };
  const node = event.target.closest && event.target.closest("#path-map a[data-key]");
  if (!node || !directions[event.key]) return;
  const targetKey = node.dataset[directions[event.key]];
  if (!targetKey) return;
  const target = document.getElementById("node-" + targetKey);
  if (target) {
    event.preventDefault();
    target.focus();
  }
});
