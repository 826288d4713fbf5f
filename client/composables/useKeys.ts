import { onBeforeUnmount, onMounted } from 'vue';

/**
 * Single-key shortcuts for the component's lifetime. Keys typed into a field are left alone (Esc aside, which
 * leaves the field); modifier chords belong to the browser.
 */
export function useKeys(handlers: Record<string, () => void>): void {
  const onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const el = e.target as HTMLElement | null;
    const typing = !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
    if (typing && key !== 'Escape') return;
    const fn = handlers[key];
    if (!fn) return;
    e.preventDefault();
    if (typing) el.blur();
    fn();
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
