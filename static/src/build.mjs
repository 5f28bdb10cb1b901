// Builds static/dist/ from npm packages and our Sass theme. Run with `npm run build`.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = join(root, "static", "dist");
const modules = join(root, "node_modules");

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const css = sass.compile(join(root, "static", "src", "app.scss"), {
  loadPaths: [modules],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions", "if-function"],
});
writeFileSync(join(dist, "app.css"), css.css);

const copies = [
  ["bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap.bundle.min.js"],
  // The source maps the minified files name: collectstatic's manifest storage resolves every
  // sourceMappingURL and refuses to deploy with one missing.
  ["bootstrap/dist/js/bootstrap.bundle.min.js.map", "bootstrap.bundle.min.js.map"],
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  ["chart.js/dist/chart.umd.min.js", "chart.umd.min.js"],
  ["chart.js/dist/chart.umd.min.js.map", "chart.umd.min.js.map"],
  ["bootstrap-icons/font/bootstrap-icons.min.css", "icons/bootstrap-icons.min.css"],
  ["bootstrap-icons/font/fonts", "icons/fonts"],
];
for (const [from, to] of copies) {
  mkdirSync(dirname(join(dist, to)), { recursive: true });
  cpSync(join(modules, from), join(dist, to), { recursive: true });
}
console.log(`assets built in ${dist}`);
