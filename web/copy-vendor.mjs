// Copies the browser builds of the page's libraries, with their licences, from node_modules
// into service/web/vendor/. Run `npm ci && npm run vendor` after changing a version in
// package.json; the copied files are committed so the app needs no npm at run time.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const vendor = join(here, "..", "service", "web", "vendor");

// [package, file in the package, name in vendor/]
const FILES = [
  // ES module build; renamed to .js so every server sends it as JavaScript.
  ["cytoscape", "dist/cytoscape.esm.min.mjs", "cytoscape.esm.min.js"],
  ["cytoscape", "LICENSE", "cytoscape.LICENSE.txt"],
  // UMD build (defines window.Chart); it bundles @kurkle/color.
  ["chart.js", "dist/chart.umd.min.js", "chart.umd.min.js"],
  ["chart.js", "LICENSE.md", "chart.js.LICENSE.txt"],
  ["@kurkle/color", "LICENSE.md", "kurkle-color.LICENSE.txt"],
  // Swagger UI for /docs (service/routes/docs.py): the bundle (it holds the standalone preset),
  // its stylesheet, its licence and notice, and the licences of what the bundle includes.
  ["swagger-ui-dist", "swagger-ui-bundle.js", "swagger-ui-bundle.js"],
  ["swagger-ui-dist", "swagger-ui.css", "swagger-ui.css"],
  ["swagger-ui-dist", "LICENSE", "swagger-ui.LICENSE.txt"],
  ["swagger-ui-dist", "NOTICE", "swagger-ui.NOTICE.txt"],
  ["swagger-ui-dist", "swagger-ui-bundle.js.LICENSE.txt", "swagger-ui-bundle.third-party-LICENSES.txt"],
];

// axe-core checks the page's accessibility in the browser tests only: it is copied beside
// them (tests/browser/vendor/), never served by the app.
const testVendor = join(here, "..", "tests", "browser", "vendor");
const TEST_FILES = [
  ["axe-core", "axe.min.js", "axe.min.js"],
  ["axe-core", "LICENSE", "axe-core.LICENSE.txt"],
];

rmSync(testVendor, { recursive: true, force: true });
mkdirSync(testVendor, { recursive: true });
for (const [pkg, file, target] of TEST_FILES) copyFileSync(join(modules, pkg, file), join(testVendor, target));
const axeVersion = JSON.parse(readFileSync(join(modules, "axe-core", "package.json"), "utf8")).version;
writeFileSync(
  join(testVendor, "README.md"),
  `# Vendored test libraries\n\nCopied from the npm registry by \`web/copy-vendor.mjs\`; used by the browser tests only.\n\n- axe-core ${axeVersion} (MPL-2.0)\n`,
);

rmSync(vendor, { recursive: true, force: true });
mkdirSync(vendor, { recursive: true });
const versions = {};
for (const [pkg, file, target] of FILES) {
  copyFileSync(join(modules, pkg, file), join(vendor, target));
  const { version, license } = JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8"));
  versions[pkg] = `${version} (${license})`;
}
const lines = Object.entries(versions).map(([pkg, version]) => `- ${pkg} ${version}`);
writeFileSync(
  join(vendor, "README.md"),
  [
    "# Vendored front-end libraries",
    "",
    "Copied from the npm registry by `web/copy-vendor.mjs` (`cd web && npm ci && npm run vendor`).",
    "Do not edit by hand. Each library's licence sits beside it.",
    "",
    ...lines,
    "",
  ].join("\n"),
);
console.log(`copied ${FILES.length} files to ${vendor} and ${TEST_FILES.length} to ${testVendor}`);
