// Bundles harness.jsx (Helsenorge's Refero with its peers, from node_modules) for the browser test
// fhir_api/tests/test_refero.py: `node build.mjs OUTDIR`. Nothing built is committed; the test
// fixture runs this into a temporary directory. Refero's design system imports SCSS modules, which
// Dart Sass compiles and esbuild's CSS-module loader ("local-css") scopes.
import { build } from "esbuild";
import * as sass from "sass";
import path from "node:path";
import { cpSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeModules = path.join(here, "..", "..", "..", "node_modules");
const outdir = process.argv[2];
if (!outdir) {
  console.error("usage: node build.mjs OUTDIR");
  process.exit(2);
}

const scss = {
  name: "scss",
  setup(b) {
    b.onLoad({ filter: /\.scss$/ }, (args) => {
      const result = sass.compile(args.path, {
        loadPaths: [path.dirname(args.path), nodeModules],
        silenceDeprecations: ["import", "global-builtin", "mixed-decls", "color-functions", "slash-div"],
        logger: sass.Logger.silent,
      });
      return {
        contents: result.css,
        loader: args.path.endsWith(".module.scss") ? "local-css" : "css",
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

await build({
  entryPoints: [path.join(here, "harness.jsx")],
  bundle: true,
  format: "esm",
  splitting: false,
  outdir,
  entryNames: "harness",
  jsx: "automatic",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
  loader: { ".woff": "file", ".woff2": "file", ".svg": "file", ".png": "file" },
  plugins: [scss],
});

// Refero starts its FHIRPath worker from assets/ next to the module (new URL(…, import.meta.url)).
const assets = path.join(nodeModules, "@helsenorge", "refero", "assets");
cpSync(assets, path.join(outdir, "assets"), { recursive: true });
console.log(readdirSync(outdir).join(" "));
