import type { Theme } from './types';

/**
 * Shows a theme at once, before the server has saved it; returns the one it replaced. The server
 * renders <html data-theme> from the saved preference, so later loads start right.
 */
export function applyTheme(theme: Theme): Theme {
  const root = document.documentElement;
  const previous = (root.dataset.theme as Theme | undefined) ?? 'system';
  root.dataset.theme = theme;
  return previous;
}
