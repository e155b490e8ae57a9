// NHS.UK frontend marks a radio or checkbox that reveals a question with
// aria-expanded, which ARIA does not allow on those roles (axe: aria-allowed-attr,
// WCAG 4.1.2). The revealed question follows its answer in the page, so a
// screen reader meets it next; aria-controls still links the two.
// Registered after initRadios/initCheckboxes, so these run after theirs.
export function dropAriaExpandedFromChoices() {
  const drop = () => {
    for (const input of document.querySelectorAll(
      'input[type="radio"][aria-expanded], input[type="checkbox"][aria-expanded]',
    )) {
      input.removeAttribute("aria-expanded");
    }
  };
  document.addEventListener("click", drop);
  document.addEventListener("change", drop);
  window.addEventListener("pageshow", drop);
  drop();
}
