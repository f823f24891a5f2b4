// "Expand all" / "Collapse all" on a tree of <details> elements. The tree works
// without this (each <details> opens on its own); this only saves clicks.
document.addEventListener("click", (event) => {
  const button = event.target.closest ? event.target.closest("[data-tree-toggle]") : null;
  if (!button) {
    return;
  }
  const tree = document.querySelector(button.dataset.treeTarget);
  if (!tree) {
    return;
  }
  const open = button.dataset.treeToggle === "open";
  tree.querySelectorAll("details").forEach((details) => {
    details.open = open;
  });
});
