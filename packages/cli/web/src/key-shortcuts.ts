/**
 * Lets the keys each button declares in its `aria-keyshortcuts` attribute press it, so that a
 * shortcut is written once, in the page, where screen readers announce it too. A shortcut is
 * ARIA's notation: modifiers (`Control`, `Meta`, `Alt`, `Shift`) and a key joined by `+`,
 * several separated by spaces, e.g. `"Control+Z Meta+Z"`. A disabled button ignores its keys.
 */
export function pressOnShortcuts(buttons: readonly HTMLButtonElement[]): void {
  document.addEventListener('keydown', (event) => {
    const button = buttons.find((candidate) =>
      (candidate.getAttribute('aria-keyshortcuts') ?? '')
        .split(' ')
        .some((shortcut) => shortcut !== '' && matches(event, shortcut)),
    );
    if (button === undefined) return;
    event.preventDefault(); // Backspace must not go back a page, nor Ctrl+Z undo elsewhere
    button.click();
  });
}

/** True when `event` is the key of `shortcut` with exactly its modifiers. */
function matches(event: KeyboardEvent, shortcut: string): boolean {
  const modifiers = shortcut.split('+');
  const key = modifiers.pop()!;
  return (
    event.key.toLowerCase() === key.toLowerCase() &&
    event.ctrlKey === modifiers.includes('Control') &&
    event.metaKey === modifiers.includes('Meta') &&
    event.altKey === modifiers.includes('Alt') &&
    event.shiftKey === modifiers.includes('Shift')
  );
}
