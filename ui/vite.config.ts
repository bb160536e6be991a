import { defineConfig } from "vite";

// The UI is served from the binary (Tauri's custom protocol): relative asset paths, no
// inline scripts or styles (the CSP allows only 'self'), and no dev-server-only features.
export default defineConfig({
  base: "./",
  clearScreen: false,
  css: {
    // USWDS is compiled from its Sass packages, so only the components in use are built.
    preprocessorOptions: { scss: { loadPaths: ["node_modules/@uswds/uswds/packages"], quietDeps: true } },
  },
  build: {
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
