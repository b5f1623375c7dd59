import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

/**
 * Grafana's Modal moves focus into itself shortly after opening (floating-ui's focus manager).
 * Typing before that lands keystrokes outside the field, so wait for focus to settle first.
 */
export async function typeInDialog(field: HTMLElement, text: string): Promise<void> {
  await waitFor(() => expect(screen.getByRole('dialog').contains(document.activeElement)).toBe(true));
  await userEvent.click(field);
  await waitFor(() => expect(document.activeElement).toBe(field));
  await userEvent.type(field, text);
}
