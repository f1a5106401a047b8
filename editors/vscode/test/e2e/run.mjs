// VS Code end to end: the packaged extension (.vsix, with its bundled dlint) installed in a
// real VS Code (code-server), driven through Chromium by puppeteer-core, as a user would:
// open a Dockerfile, read the Problems panel, hover, apply a quick fix, save with fix-on-save,
// change dlint.toml on disk without touching the Dockerfile. Screenshots go to $E2E_SHOTS.
//
//   CODE_SERVER=… CHROMIUM=… VSIX=… E2E_SHOTS=target/vscode-e2e node run.mjs
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import puppeteer from "puppeteer-core";

const codeServer = process.env.CODE_SERVER;
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
const vsix = process.env.VSIX;
const shots = path.resolve(process.env.E2E_SHOTS || "vscode-e2e-shots");
const port = Number(process.env.E2E_PORT || 18000 + Math.floor(Math.random() * 2000));
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 90000);

const DOCKERFILE = 'FROM ubuntu\nRUN apt-get update && apt-get install -y curl\nRUN echo "café" && pip install flask\n';

let passed = 0;
let failed = 0;
const results = [];
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  results.push(`${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
  console.log(results[results.length - 1]);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what, probe, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await sleep(250);
  }
  return last;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "dlint-vscode-e2e-"));
const workspace = path.join(work, "project");
const userData = path.join(work, "user-data");
const extensions = path.join(work, "extensions");
fs.mkdirSync(workspace, { recursive: true });
fs.mkdirSync(path.join(userData, "User"), { recursive: true });
fs.mkdirSync(shots, { recursive: true });
const dockerfile = path.join(workspace, "Dockerfile");
fs.writeFileSync(dockerfile, DOCKERFILE);
fs.writeFileSync(
  path.join(userData, "User", "settings.json"),
  JSON.stringify(
    {
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "workbench.welcomePage.walkthroughs.openOnInstall": false,
      "security.workspace.trust.enabled": false,
      "telemetry.telemetryLevel": "off",
      "extensions.autoUpdate": false,
      "extensions.autoCheckUpdates": false,
      "update.mode": "none",
      "files.autoSave": "off",
      "editor.hover.delay": 100,
      "dlint.shellcheck": "never",
      "[dockerfile]": { "editor.codeActionsOnSave": { "source.fixAll.dlint": "explicit" } },
    },
    null,
    2,
  ),
);
const configFile = path.join(work, "code-server.yaml");
fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

const common = ["--config", configFile, "--user-data-dir", userData, "--extensions-dir", extensions];
execFileSync(process.execPath, [codeServer, ...common, "--install-extension", vsix], { stdio: "inherit" });
const installed = fs.readdirSync(extensions).filter((d) => d.startsWith("dlint-dev.dlint"));
check("the .vsix installs", installed.length === 1, installed.join(", "));
const bundled = installed.length === 1 && fs.existsSync(path.join(extensions, installed[0], "bin", "dlint"));
check("the extension bundles the dlint binary", bundled);

const server = spawn(
  process.execPath,
  [codeServer, ...common, "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust", workspace],
  { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PATH: "/usr/bin:/bin" } },
);
let serverLog = "";
server.stdout.on("data", (d) => (serverLog += d));
server.stderr.on("data", (d) => (serverLog += d));

let browser;
let page;
async function shot(name) {
  const file = path.join(shots, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`screenshot ${file}`);
}
const editorText = () =>
  page.evaluate(() => {
    const lines = [...document.querySelectorAll(".monaco-editor .view-lines .view-line")];
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return lines.map((l) => l.textContent.replace(/\u00a0/g, " ")).join("\n");
  });
const textOf = (selector) =>
  page.evaluate((s) => [...document.querySelectorAll(s)].map((e) => e.textContent).join("\n"), selector);

async function command(name) {
  await page.keyboard.press("F1");
  await page.waitForSelector(".quick-input-widget input", { visible: true });
  await page.keyboard.type(name);
  await until(`command ${name}`, () =>
    page.evaluate(
      (n) => [...document.querySelectorAll(".quick-input-list .monaco-list-row")].some((r) => r.textContent.includes(n)),
      name,
    ),
  );
  await page.keyboard.press("Enter");
  await sleep(400);
}
async function goTo(line, column) {
  await page.keyboard.down("Control");
  await page.keyboard.press("g");
  await page.keyboard.up("Control");
  await page.waitForSelector(".quick-input-widget input", { visible: true });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press("Enter");
  await sleep(300);
}

try {
  const up = await until("code-server", async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
    } catch {
      return false;
    }
  });
  if (!up) throw new Error(`code-server did not start:\n${serverLog}`);
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${path.join(work, "chromium")}`,
      "--window-size=1400,900",
    ],
    defaultViewport: { width: 1400, height: 900 },
  });
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: "domcontentloaded" });
  await page.waitForSelector(".monaco-workbench", { timeout: TIMEOUT });
  await sleep(3000);

  // Open the Dockerfile through Quick Open.
  await page.keyboard.down("Control");
  await page.keyboard.press("p");
  await page.keyboard.up("Control");
  await page.waitForSelector(".quick-input-widget input", { visible: true });
  await page.keyboard.type("Dockerfile");
  await until("quick open result", () =>
    page.evaluate(() =>
      [...document.querySelectorAll(".quick-input-list .monaco-list-row")].some((r) => r.textContent.includes("Dockerfile")),
    ),
  );
  await page.keyboard.press("Enter");
  await page.waitForSelector(".monaco-editor .view-lines", { timeout: TIMEOUT });
  await until("editor text", async () => (await editorText()).includes("pip install"));

  // The Problems panel lists dlint's findings, with their codes.
  await command("View: Focus Problems");
  const expected = ["DL3006", "DL3008", "DL3009", "DL3013", "DL3015", "DL3042"];
  const problems = await until("problems", async () => {
    const text = await textOf(".markers-panel");
    return expected.every((code) => text.includes(code)) ? text : false;
  });
  await shot("1-problems");
  check("the Problems panel shows dlint's findings", Boolean(problems), expected.join(" "));

  // Hover over FROM's image (a finding, DL3006) and over the FROM keyword.
  await page.click(".monaco-editor .view-lines");
  await goTo(1, 8);
  await command("Show or Focus Hover");
  const hover = await until("hover", async () => {
    const text = await textOf(".monaco-hover");
    return text.includes("DL3006") ? text : false;
  });
  await shot("2-hover");
  check("a hover shows the rule's documentation", Boolean(hover) && hover.includes("What it does"));
  await page.keyboard.press("Escape");

  // The quick fix for DL3042 (pip --no-cache-dir), chosen in the Quick Fix menu.
  await goTo(3, 24);
  await command("Quick Fix...");
  const menu = await until("quick fix menu", async () => {
    const items = await page.evaluate(() =>
      [...document.querySelectorAll(".action-widget .monaco-list-row")].map((r) => r.textContent),
    );
    return items.some((t) => t.includes("DL3042")) ? items : false;
  });
  await shot("3-quick-fix-menu");
  if (menu) {
    const rows = await page.$$(".action-widget .monaco-list-row");
    for (const row of rows) {
      if ((await row.evaluate((r) => r.textContent)).startsWith("Fix DL3042")) {
        await row.click();
        break;
      }
    }
  }
  const fixed = await until("quick fix applied", async () => (await editorText()).includes("pip install --no-cache-dir flask"));
  check("the quick fix edits the document", Boolean(fixed), menu ? menu.join(" | ") : "no menu");
  const gone = await until("DL3042 gone", async () => !(await textOf(".markers-panel")).includes("DL3042"));
  check("the fixed finding leaves the Problems panel", Boolean(gone));

  // Fix on save: `source.fixAll.dlint` runs and the file on disk has the safe fixes.
  await page.keyboard.down("Control");
  await page.keyboard.press("s");
  await page.keyboard.up("Control");
  const saved = await until("saved with fixes", async () => {
    const text = fs.readFileSync(dockerfile, "utf8");
    return text.includes("rm -rf /var/lib/apt/lists/*") ? text : false;
  });
  await shot("4-fix-on-save");
  check("fix-on-save writes the safe fixes", Boolean(saved), saved ? "" : fs.readFileSync(dockerfile, "utf8"));
  check("fix-on-save leaves unsafe fixes out", Boolean(saved) && !saved.includes("--no-install-recommends"));

  // A dlint.toml written on disk, the Dockerfile untouched: the findings follow.
  const before = await textOf(".markers-panel");
  check("DL3006 is reported before the configuration change", before.includes("DL3006"));
  fs.writeFileSync(path.join(workspace, "dlint.toml"), '[lint]\nignore = ["DL3006"]\n');
  const reloaded = await until("configuration change", async () => {
    const text = await textOf(".markers-panel");
    return !text.includes("DL3006") && text.includes("DL3008") ? text : false;
  });
  await shot("5-config-change");
  check("a dlint.toml change takes effect without an edit", Boolean(reloaded));
} catch (error) {
  check("the scenario ran to the end", false, error.stack || String(error));
  if (page) await shot("error").catch(() => {});
} finally {
  if (browser) await browser.close().catch(() => {});
  server.kill("SIGTERM");
}

if (failed) console.log(`code-server log:\n${serverLog.slice(-4000)}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
