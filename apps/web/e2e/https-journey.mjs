/* global window, fetch */
/**
 * A person's first visit to an archive served over HTTPS (tests/single-server): the home
 * page, a dandiset's landing page and its file browser, then password sign-in. Chromium
 * trusts the server's certificate by its public key (--ignore-certificate-errors-spki-list,
 * the hash of the certificate Caddy's internal CA issued), as a machine that installed that
 * CA would. Prints one JSON object: per page, its console errors, failed requests, requests
 * that were not https, answers of status >= 400 (but the anonymous 401 of /api/users/me/),
 * and mixed-content warnings; the session cookie's flags after sign-in.
 *
 *   node apps/web/e2e/https-journey.mjs <origin> <dandiset id> <email> <password> <spki sha256 base64> <screenshot dir>
 */
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "./harness.mjs";

const [origin, dandiset, email, password, spki, shots] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${spki}`],
});
const report = { pages: {}, cookie: null, signedIn: false };
/** Whether the element appears within 20 s (the page may still be fetching). */
const shows = (locator) =>
  locator
    .waitFor({ state: "visible", timeout: 20_000 })
    .then(() => true)
    .catch(() => false);
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  let current = null;
  const problems = () => report.pages[current];
  let signedIn = false;
  page.on("console", (msg) => {
    const text = msg.text();
    // "Failed to load resource" repeats a response of status >= 400: those are checked below.
    if (msg.type() === "error" && !text.startsWith("Failed to load resource")) problems().consoleErrors.push(text);
    if (/mixed content/i.test(text)) problems().mixedContent.push(text);
  });
  page.on("pageerror", (err) => problems().consoleErrors.push(err.message));
  page.on("response", (res) => {
    if (res.status() < 400) return;
    // The one expected error answer: who am I, asked before signing in.
    const anonymousWhoAmI = !signedIn && res.status() === 401 && new URL(res.url()).pathname === "/api/users/me/";
    if (!anonymousWhoAmI) problems().errorResponses.push(`${res.status()} ${res.url()}`);
  });
  page.on("requestfailed", (req) => problems().failedRequests.push(`${req.url()} ${req.failure()?.errorText}`));
  page.on("request", (req) => {
    const url = new URL(req.url());
    if (url.protocol !== "https:" && url.protocol !== "data:") problems().insecureRequests.push(req.url());
  });
  const visit = async (name, url, check) => {
    current = name;
    report.pages[name] = {
      url,
      consoleErrors: [],
      errorResponses: [],
      failedRequests: [],
      insecureRequests: [],
      mixedContent: [],
    };
    const response = await page.goto(url, { waitUntil: "networkidle" });
    report.pages[name].status = response?.status() ?? null;
    report.pages[name].secureContext = await page.evaluate(() => window.isSecureContext);
    report.pages[name].found = await check();
    await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  };

  await visit("home", `${origin}/`, () => shows(page.getByRole("navigation").first()));
  await visit("landing", `${origin}/dandiset/${dandiset}`, () => shows(page.getByText("Over HTTPS").first()));
  await visit("files", `${origin}/dandiset/${dandiset}/draft/files`, () => shows(page.getByText("notes.txt").first()));

  await visit("signin", `${origin}/signin`, () => shows(page.getByLabel("E-mail")));
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  signedIn = true;
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"), { timeout: 30_000 });
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: path.join(shots, "signed-in.png"), fullPage: true });
  const cookie = (await context.cookies()).find((c) => c.name === "dandi_session");
  report.cookie = cookie ? { secure: cookie.secure, httpOnly: cookie.httpOnly, sameSite: cookie.sameSite } : null;
  const me = await page.evaluate(async () => (await fetch("/api/users/me/", { credentials: "include" })).status);
  report.signedIn = me === 200;
} finally {
  await browser.close();
}
process.stdout.write(`${JSON.stringify(report)}\n`);
