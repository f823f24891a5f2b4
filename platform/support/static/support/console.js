// Buttons with data-insert-text put their text into the reply box at the cursor
// (canned replies, links to knowledge-base articles). A static file, not inline
// script: the Content-Security-Policy allows scripts from 'self' only.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-insert-text]");
  if (!button) {
    return;
  }
  const box = document.querySelector("textarea[data-reply-body]");
  if (!box) {
    return;
  }
  const text = button.dataset.insertText;
  const start = box.selectionStart ?? box.value.length;
  const end = box.selectionEnd ?? box.value.length;
  box.value = box.value.slice(0, start) + text + box.value.slice(end);
  box.focus();
  box.selectionStart = box.selectionEnd = start + text.length;
});
