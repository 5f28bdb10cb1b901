// Draft editor. Everything works without this file; with it, htmx also swaps in the
// answers it would otherwise drop: 409 Conflict carries the form with the other person's
// change (or says the element was deleted), and must replace the stale fragment.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
