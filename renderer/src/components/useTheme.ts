// Applies the chosen theme to <html>; "system" removes the pin so the OS decides.
import { useEffect } from 'react';
import { useStore } from '../store/store.js';

export function useTheme(): void {
  const theme = useStore((s) => s.theme);
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset['theme'];
    else document.documentElement.dataset['theme'] = theme;
  }, [theme]);
}
