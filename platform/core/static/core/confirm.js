// A form with data-confirm="question" asks before it submits. Inline handlers
// (onsubmit="...") are blocked by our Content-Security-Policy (script-src 'self'),
// which would submit a destructive form without asking. Listening on the document
// also covers forms that htmx swaps in later.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset ? event.target.dataset.confirm : undefined;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
