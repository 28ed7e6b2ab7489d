/**
 * Sharing an embargoed dandiset, in headless Chromium against the real API: the owner adds a
 * viewer by username in the "Sharing / access" dialog, the viewer sees the dandiset, the owner
 * revokes and the viewer sees only the "Request access" page; the viewer asks with a message and
 * the owner approves; an anonymous reviewer opens a secret review link and sees the dandiset and
 * its files until the owner revokes the link. Screenshots go to artifacts/screenshots/access-*.png.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { ARTIFACTS, OWNER, REPO_ROOT, api, startStack, uploadFile } from "./harness.mjs";

let ctx;
let identifier;
const NAME = "Embargoed access study";
const VIEWER = { email: "vera@example.org", password: "vera-password-1", username: "vera" };

const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `access-${name}.png`), fullPage: true });

async function newPage() {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (err) => problems.push(err.message));
  page.problems = problems;
  return page;
}

async function signIn(page, { email, password }) {
  await page.goto(`${ctx.webUrl}/signin`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
}

async function openSharing(page) {
  await page.goto(`${ctx.webUrl}/dandiset/${identifier}`);
  await page.getByRole("button", { name: "Sharing / access" }).click();
  const dialog = page.getByRole("dialog", { name: "Sharing and access" });
  await dialog.waitFor();
  return dialog;
}

before(
  async () => {
    ctx = await startStack();
    ({ identifier } = await api(ctx, "POST", "/dandisets/?embargo=true", { name: NAME, metadata: { name: NAME } }));
    await uploadFile(ctx, identifier, "sub-01/session.txt", "embargoed content\n");
    execFileSync(
      process.execPath,
      [
        path.join(REPO_ROOT, "scripts/manage.mjs"),
        "create-user",
        "--email",
        VIEWER.email,
        "--status",
        "APPROVED",
        "--password",
        VIEWER.password,
        "--first-name",
        "Vera",
        "--last-name",
        "Viewer",
      ],
      { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: ctx.databaseUrl }, encoding: "utf8" },
    );
  },
  { timeout: 600_000 },
);

after(async () => {
  await ctx?.close();
});

describe("sharing an embargoed dandiset", { concurrency: false }, () => {
  it("invite by username → the viewer sees it → revoke → gone; request → approve", async () => {
    const owner = await newPage();
    const viewer = await newPage();
    await signIn(owner, OWNER);
    await signIn(viewer, VIEWER);

    // A stranger's view: the identifier and the request form, nothing of the metadata.
    await viewer.goto(`${ctx.webUrl}/dandiset/${identifier}`);
    await viewer.getByRole("heading", { name: `DANDI:${identifier} is embargoed` }).waitFor();
    assert.equal(await viewer.getByText(NAME).count(), 0);

    const dialog = await openSharing(owner);
    await dialog.getByLabel("Username or e-mail address").fill(VIEWER.username);
    await dialog.getByRole("button", { name: "Add viewer" }).click();
    await dialog.getByText("vera can now view this dandiset.").waitFor();
    await dialog.getByRole("list", { name: "Viewers" }).getByText("Vera Viewer").waitFor();
    await shot(owner, "dialog-viewer-added");

    await viewer.reload();
    await viewer.getByRole("heading", { name: NAME }).first().waitFor();
    assert.equal(await viewer.getByRole("button", { name: "Sharing / access" }).count(), 0);
    assert.equal(await viewer.getByRole("button", { name: "Manage owners" }).count(), 0);
    await shot(viewer, "viewer-sees-dandiset");
    await viewer.getByRole("link", { name: "Browse files" }).click();
    await viewer.getByText("sub-01").first().waitFor();

    await dialog.getByRole("button", { name: "Revoke vera" }).click();
    await dialog.getByText("vera can no longer view it.").waitFor();
    await viewer.goto(`${ctx.webUrl}/dandiset/${identifier}`);
    await viewer.getByRole("heading", { name: `DANDI:${identifier} is embargoed` }).waitFor();
    assert.equal(await viewer.getByText(NAME).count(), 0);

    await viewer.getByLabel("Message to the owners (why you need access)").fill("I am reviewing the paper.");
    await viewer.getByRole("button", { name: "Request access" }).click();
    await viewer.getByText("Your request was sent to the owners.").waitFor();
    await shot(viewer, "request-sent");

    const again = await openSharing(owner);
    const requests = again.getByRole("list", { name: "Access requests" });
    await requests.getByText("I am reviewing the paper.").waitFor();
    await shot(owner, "dialog-pending-request");
    await again.getByRole("button", { name: "Approve vera" }).click();
    await again.getByText("vera can now view it.").waitFor();
    await viewer.reload();
    await viewer.getByRole("heading", { name: NAME }).first().waitFor();
    assert.deepEqual([...owner.problems, ...viewer.problems], []);
  });

  it("an anonymous reviewer opens the secret link and sees the dandiset and its files, until revoked", async () => {
    const owner = await newPage();
    await signIn(owner, OWNER);
    const dialog = await openSharing(owner);
    await dialog.getByLabel("Label").fill("Journal review");
    await dialog.getByRole("button", { name: "Create link" }).click();
    const url = (await dialog.getByTestId("review-link-url").textContent()).trim();
    assert.match(url, /\/api\/review\/[A-Za-z0-9_-]{43}\/$/);
    await shot(owner, "dialog-review-link");

    const reviewer = await newPage();
    await reviewer.goto(url);
    await reviewer.waitForURL(`${ctx.webUrl}/dandiset/${identifier}`);
    await reviewer.getByRole("heading", { name: NAME }).first().waitFor();
    await shot(reviewer, "reviewer-landing");
    await reviewer.getByRole("link", { name: "Browse files" }).click();
    await reviewer.getByText("sub-01").first().click();
    await reviewer.getByText("session.txt").waitFor();
    await shot(reviewer, "reviewer-files");
    // The secret is not in the page's address.
    assert.ok(!reviewer.url().includes(url.split("/").at(-2)));

    await dialog.getByRole("button", { name: /Revoke link/ }).click();
    await dialog.getByText("The link no longer works.").waitFor();
    await reviewer.goto(`${ctx.webUrl}/dandiset/${identifier}`);
    await reviewer.getByRole("heading", { name: `DANDI:${identifier} is embargoed` }).waitFor();
    await reviewer.getByRole("link", { name: "Sign in" }).first().waitFor();
    assert.equal(await reviewer.getByText(NAME).count(), 0);
    await shot(reviewer, "reviewer-after-revoke");
    assert.deepEqual([...owner.problems, ...reviewer.problems], []);
  });
});
