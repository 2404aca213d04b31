// Runs the integration suite (out/test/integration) inside a real VS Code: the VS Code server bundled in the npm
// code-server package, with the workbench in headless Chromium driven by playwright-core. The workspace is a
// scratch copy of examples/shop; screenshots and the suite's log go to client-vscode/test-output/.
// Usage: node scripts/integration.mjs  (with Node 24 first on PATH; see scripts/integration.sh)
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = path.dirname(extensionDir);
const cache = process.env.FAP_VSCODE_CACHE ?? path.join(extensionDir, '.vscode-test');
const outputDir = path.join(extensionDir, 'test-output');
const requireFromCache = createRequire(path.join(cache, 'cs', 'package.json'));
const { chromium } = requireFromCache('playwright-core');
const serverMain = path.join(cache, 'cs', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
const python = process.env.FAP_PYTHON ?? execFileSync('python3', ['-c', 'import sys; print(sys.executable)']).toString().trim();
const LIMIT_MS = Number(process.env.FAP_IT_TIMEOUT_MS ?? 240_000);

function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

async function waitForHttp(url, limitMs) {
    const deadline = Date.now() + limitMs;
    while (Date.now() < deadline) {
        try {
            const response = await fetch(url);
            if (response.status < 500) return;
        } catch {
            // not listening yet
        }
        await new Promise((done) => setTimeout(done, 250));
    }
    throw new Error(`the VS Code server did not answer at ${url}`);
}

/** In the page: the visible text of the workbench view whose header reads `title` ('' when it is not shown). */
function paneText(title) {
    const wanted = title.toLowerCase();
    const pane = [...document.querySelectorAll('.pane')].find(
        (candidate) => (candidate.querySelector('.pane-header')?.textContent ?? '').toLowerCase().includes(wanted));
    return pane?.querySelector('.pane-body')?.innerText ?? '';
}

/** In the page: collapse the explorer's file tree, so that the views below it get the room (for screenshots). */
function collapseFileTree() {
    const pane = [...document.querySelectorAll('.pane')].find((candidate) => candidate.querySelector('.explorer-folders-view'));
    const header = pane?.querySelector('.pane-header');
    if (!header) return 'no file tree';
    if (header.getAttribute('aria-expanded') === 'true') header.click();
    return header.getAttribute('aria-expanded') === 'true' ? 'still expanded' : 'collapsed';
}

async function main() {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fap-vscode-it-'));
    const workspace = path.join(scratch, 'shop');
    fs.cpSync(path.join(repo, 'examples', 'shop'), workspace, { recursive: true });
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'),
        JSON.stringify({ 'fastapi-patterns.interpreter': [python], 'workbench.startupEditor': 'none' }, null, 2));
    fs.mkdirSync(outputDir, { recursive: true });
    for (const dir of ['server', 'user', 'ext', 'xdg', 'chromium']) fs.mkdirSync(path.join(scratch, dir));

    const port = await freePort();
    const env = {
        ...process.env,
        FAP_IT_DIR: scratch,
        XDG_CONFIG_HOME: path.join(scratch, 'xdg'),
        XDG_DATA_HOME: path.join(scratch, 'xdg'),
        XDG_CACHE_HOME: path.join(scratch, 'xdg'),
        PYTHONPATH: [path.join(repo, 'server'), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter),
    };
    const serverLog = fs.openSync(path.join(outputDir, 'vscode-server.log'), 'w');
    const server = spawn(process.execPath, [
        serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
        '--accept-server-license-terms', '--enable-smoke-test-driver', '--disable-telemetry',
        '--disable-workspace-trust', '--reconnection-grace-time', '10',
        '--server-data-dir', path.join(scratch, 'server'), '--user-data-dir', path.join(scratch, 'user'),
        '--extensions-dir', path.join(scratch, 'ext'),
    ], { env, stdio: ['ignore', serverLog, serverLog], detached: true });

    let browser;
    let exitCode = 1;
    try {
        const base = `http://127.0.0.1:${port}`;
        await waitForHttp(base, 60_000);
        browser = await chromium.launch({
            executablePath: process.env.FAP_CHROMIUM ?? '/usr/bin/chromium',
            args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
        });
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        let finished;
        const done = new Promise((resolve) => (finished = resolve));
        await page.exposeFunction('codeAutomationExit', (code) => finished(code));
        const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
        const payload = JSON.stringify([
            ['extensionDevelopmentPath', remote(extensionDir)],
            ['extensionTestsPath', remote(path.join(extensionDir, 'out', 'test', 'integration', 'index.js'))],
        ]);
        await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);

        // The suite asks for what only the page shows by writing driver-request; the answer goes to driver-answer.
        const request = path.join(scratch, 'driver-request');
        const poll = setInterval(async () => {
            if (!fs.existsSync(request)) return;
            const asked = JSON.parse(fs.readFileSync(request, 'utf8'));
            fs.rmSync(request);
            let answer = '';
            try {
                if (asked.action === 'screenshot') {
                    await page.screenshot({ path: path.join(outputDir, asked.name) });
                    answer = asked.name;
                } else if (asked.action === 'paneText') {
                    answer = await page.evaluate(paneText, asked.title);
                } else if (asked.action === 'collapseFileTree') {
                    answer = await page.evaluate(collapseFileTree);
                }
            } catch (error) {
                answer = `driver error: ${error.message}`;
            }
            fs.writeFileSync(path.join(scratch, 'driver-answer'), answer);
        }, 200);
        const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), LIMIT_MS));
        const result = await Promise.race([done, timeout]);
        clearInterval(poll);
        await page.screenshot({ path: path.join(outputDir, 'final.png') }).catch(() => undefined);
        if (result === 'timeout') {
            console.error(`the integration suite did not finish within ${LIMIT_MS / 1000} s`);
        } else {
            exitCode = Number(result);
        }
    } finally {
        await browser?.close().catch(() => undefined);
        try {
            process.kill(-server.pid, 'SIGTERM');
        } catch {
            // already gone
        }
        const results = path.join(scratch, 'results.log');
        const text = fs.existsSync(results) ? fs.readFileSync(results, 'utf8') : '(the suite wrote no results)\n';
        fs.writeFileSync(path.join(outputDir, 'results.log'), text);
        process.stdout.write(text);
        fs.rmSync(scratch, { recursive: true, force: true });
    }
    console.log(exitCode === 0 ? 'integration suite passed' : `integration suite failed (exit code ${exitCode})`);
    process.exit(exitCode);
}

main().catch((error) => {
    console.error(`integration run failed: ${error.message}`);
    process.exit(1);
});
