// Unit tests: pure TypeScript in Node, and the widgets' state modules (.svelte.ts, compiled by
// Svelte's Vite plugin so that their runes work outside a component).
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [svelte()],
  test: {
    include: ['tests/unit/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
