// Preview only: opens the screen named in ?view= after mounting the app.
import '../src/main';
import { ui, openReader, openCompare, openNote, openClip } from '../src/lib/state.svelte';

const p = new URLSearchParams(location.search);
const view = p.get('view') ?? 'home';
setTimeout(() => {
  if (view === 'reader') openReader(Number(p.get('source') ?? 1));
  if (view === 'compare') openCompare(1, 11, 12);
  if (view === 'side') {
    openCompare(1, 11, 12);
    setTimeout(() => (document.querySelector('[data-testid="compare-mode-side"]') as HTMLElement)?.click(), 200);
  }
  if (view === 'note') openNote(7);
  if (view === 'cite') {
    (document.querySelector('[data-testid="new-note"]') as HTMLElement).click();
    const wait = (sel: string, then: (el: HTMLElement) => void, n = 0) => {
      const el = document.querySelector(sel) as HTMLElement | null;
      if (el) then(el);
      else if (n < 100) setTimeout(() => wait(sel, then, n + 1), 50);
    };
    wait('[data-testid="note-editor"] .cm-content', (content) => {
      content.focus();
      document.execCommand('insertText', false, "Tokyo's first reaction was sharp:\n\n");
      (document.querySelector('[data-testid="insert-citation"]') as HTMLElement).click();
      wait('[data-testid="citation-option"]', (opt) => {
        opt.click();
        setTimeout(() => {
          const saved = (window as unknown as { __saved?: { body: string } }).__saved;
          const state = document.querySelector('[data-testid="note-saved"]')?.getAttribute('data-state');
          document.title = JSON.stringify({ body: saved?.body ?? null, state });
        }, 1500);
      });
    });
  }
  if (view === 'highlight') {
    openReader(1);
    setTimeout(() => {
      // As the end-to-end test does: select a passage, then press the action.
      const needle = 'based in Yokosuka';
      const body = document.querySelector('[data-testid="reader-body"]')!;
      const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
      let node: Node | null;
      while ((node = walker.nextNode())) {
        const i = (node as Text).data.indexOf(needle);
        if (i >= 0) {
          const r = document.createRange();
          r.setStart(node, i);
          r.setEnd(node, i + needle.length);
          getSelection()!.removeAllRanges();
          getSelection()!.addRange(r);
          break;
        }
      }
      setTimeout(() => {
        (document.querySelector('[data-testid="highlight-action"]') as HTMLElement | null)?.click();
        setTimeout(() => {
          const marks = [...document.querySelectorAll('[data-testid="reader-highlight"]')].map((m) => m.textContent);
          document.title = JSON.stringify(marks);
          const out = document.createElement('pre');
          out.id = 'result';
          out.textContent = JSON.stringify(marks);
          document.body.append(out);
        }, 300);
      }, 400);
    }, 500);
  }
  if (view === 'clip') openClip();
  if (view === 'clip-error') {
    openClip();
    setTimeout(() => {
      const t = document.querySelector('[data-testid="clip-input"]') as HTMLTextAreaElement;
      t.value = 'https://www.example-wire.com/world/gone';
      t.dispatchEvent(new Event('input'));
      setTimeout(() => (document.querySelector('[data-testid="clip-button"]') as HTMLElement).click(), 50);
    }, 100);
  }
  if (view === 'search') {
    ui.section = { kind: 'search' };
    setTimeout(() => {
      const i = document.querySelector('[data-testid="search-input"]') as HTMLInputElement;
      i.value = 'missile';
      i.dispatchEvent(new Event('input'));
    }, 100);
  }
  if (view === 'quotes') ui.section = { kind: 'quotes' };
  if (view === 'palette') ui.paletteOpen = true;
  if (view === 'manage') ui.detail = { kind: 'manage' };
}, 50);
