import react from "@vitejs/plugin-react";
import { defineConfig, type UserConfig } from "vite";

/**
 * One console's build: its entry (found by Keycloak through .vite/manifest.json, the chunk marked isEntry) and
 * its output, which Maven copies into the themes JAR. React comes from the page's import map (Keycloak's own
 * copy under resources/common), as in the stock consoles, so it is not bundled twice.
 */
export function consoleBuild(entry: string, outDir: string): UserConfig {
  return defineConfig({
    plugins: [react()],
    base: "",
    build: {
      outDir,
      emptyOutDir: true,
      manifest: true,
      sourcemap: false,
      chunkSizeWarningLimit: 6000,
      rollupOptions: {
        input: entry,
        external: ["react", "react/jsx-runtime", "react-dom"],
      },
    },
  });
}
