import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// A browser-only build with a stand-in backend, to look at the screens
// without the desktop shell. Never shipped.
export default defineConfig({
  plugins: [svelte()],
  build: { outDir: 'dist-preview', emptyOutDir: true, rollupOptions: { input: 'preview.html' } },
});
