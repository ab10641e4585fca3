// Opens the API reference page in headless Chromium, as a person would, and reports what it
// rendered: node render-reference.mjs <page URL> <screenshot.png> <chromium executable>
// Prints one JSON object: the operation headings, the requests the page made (those answered
// and those that failed or were blocked), console errors.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [pageUrl, screenshotPath, executablePath] = process.argv.slice(2);
const RENDER_TIMEOUT_MS = 60_000;
// The flags Chromium needs on a machine with no network beyond loopback, running as root.
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const profile = mkdtempSync(join(tmpdir(), "reference-page-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: FLAGS,
  viewport: { width: 1440, height: 900 },
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const answered = [];
  const failed = [];
  const consoleErrors = [];
  page.on("requestfinished", (request) => answered.push(request.url()));
  page.on("requestfailed", (request) => failed.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  const response = await page.goto(pageUrl, { waitUntil: "networkidle", timeout: RENDER_TIMEOUT_MS });
  // ReDoc has rendered the document once the operations' headings are in the page.
  await page.waitForSelector("[data-section-id^='tag/'] h2", { timeout: RENDER_TIMEOUT_MS });
  const headings = await page.$$eval("[data-section-id^='tag/'] h2", (nodes) =>
    nodes.map((node) => node.textContent.trim()),
  );
  const menu = await page.$$eval("[role='menuitem'] label span[title]", (nodes) =>
    nodes.map((node) => node.getAttribute("title")),
  );
  await page.screenshot({ path: screenshotPath });
  console.log(
    JSON.stringify({
      status: response.status(),
      title: await page.title(),
      headings,
      menu,
      answered,
      failed,
      consoleErrors,
    }),
  );
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
