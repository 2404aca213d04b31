/**
 * The integration suite, run by VS Code itself as the `extensionTestsPath` module: inside a real workbench with
 * this extension loaded, on a scratch copy of examples/shop. It waits for our diagnostics, opens the Quick Fix
 * menu for FAP201 (and asks the driver for a screenshot through files in FAP_IT_DIR), applies that quick fix,
 * runs Fix All and asks the server for the routes. Results go to FAP_IT_DIR/results.log; a failure rejects.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const SOURCE = 'fastapi-patterns';
const EXTENSION_ID = 'fastapi-patterns.fastapi-patterns';
const scratch = process.env.FAP_IT_DIR ?? '';

function log(line: string): void {
    fs.appendFileSync(path.join(scratch, 'results.log'), `${line}\n`);
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, limitMs = 60_000): Promise<T> {
    const deadline = Date.now() + limitMs;
    for (;;) {
        const value = await probe();
        if (value !== undefined) {
            return value;
        }
        if (Date.now() > deadline) {
            throw new Error(`gave up waiting for ${what}`);
        }
        await new Promise((done) => setTimeout(done, 200));
    }
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
    return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === SOURCE);
}

function codeOf(diagnostic: vscode.Diagnostic): string {
    const code = diagnostic.code;
    return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

async function openShopFile(relative: string): Promise<vscode.TextEditor> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the workbench has the example open');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, relative));
    return vscode.window.showTextDocument(document);
}

async function screenshot(name: string): Promise<void> {
    const request = path.join(scratch, 'screenshot-request');
    const done = path.join(scratch, 'screenshot-done');
    fs.rmSync(done, { force: true });
    fs.writeFileSync(request, name);
    await waitFor('the driver to take the screenshot', () => (fs.existsSync(done) ? true : undefined), 30_000);
}

const tests: [string, () => Promise<void>][] = [
    ['the extension activates on a Python file and publishes our diagnostics', async () => {
        const editor = await openShopFile('app/routers/users.py');
        const diagnostics = await waitFor('diagnostics', () => {
            const found = ours(editor.document.uri);
            return found.some((d) => codeOf(d) === 'FAP201') ? found : undefined;
        });
        assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, 'the extension is active');
        log(`  diagnostics in users.py: ${diagnostics.map(codeOf).sort().join(' ')}`);
    }],
    ['the FAP201 quick fix sets status_code on the route', async () => {
        const editor = await openShopFile('app/routers/users.py');
        const diagnostic = ours(editor.document.uri).find((d) => codeOf(d) === 'FAP201');
        assert.ok(diagnostic, 'FAP201 is reported');
        const line = diagnostic.range.start.line;
        editor.selection = new vscode.Selection(diagnostic.range.start, diagnostic.range.start);
        editor.revealRange(diagnostic.range, vscode.TextEditorRevealType.InCenter);
        await vscode.commands.executeCommand('editor.action.quickFix');
        await new Promise((done) => setTimeout(done, 1500));
        await screenshot('quick-fix-menu.png');
        await vscode.commands.executeCommand('hideCodeActionWidget');
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider', editor.document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value, 20,
        );
        // The workbench adds its own "Fix"/"Explain" actions, and the API drops `diagnostics` from the results:
        // ours is the one with an edit that adds the status code.
        const fix = actions.find((action) => action.edit !== undefined && action.title.includes('status_code'));
        const described = actions.map((a) => `${a.title} [edit: ${a.edit !== undefined}, diagnostics: ${(a.diagnostics ?? []).map(codeOf).join(',')}]`);
        assert.ok(fix?.edit, `a FAP201 quick fix with an edit among: ${described.join(' | ')}`);
        log(`  applying "${fix.title}"`);
        assert.ok(await vscode.workspace.applyEdit(fix.edit));
        const decorator = editor.document.lineAt(line).text;
        assert.match(decorator, /status_code=.*201/, decorator);
        await waitFor('FAP201 to go away', () => (ours(editor.document.uri).some((d) => codeOf(d) === 'FAP201') ? undefined : true));
        log(`  line ${line + 1} now reads: ${decorator.trim()}`);
    }],
    ['Fix All applies the safe fixes of the active file', async () => {
        const editor = await openShopFile('app/routers/users.py');
        await waitFor('diagnostics', () => (ours(editor.document.uri).length > 0 ? true : undefined));
        const before = editor.document.getText();
        const countBefore = ours(editor.document.uri).length;
        await vscode.commands.executeCommand('fastapi-patterns.fixAll');
        await waitFor('Fix All to change the file', () => (editor.document.getText() !== before ? true : undefined), 20_000);
        assert.match(editor.document.getText(), /from typing import Annotated/);
        assert.match(editor.document.getText(), /@router\.get\("\/me"\)/);
        const countAfter = await waitFor('fewer findings', () => {
            const count = ours(editor.document.uri).length;
            return count < countBefore ? count : undefined;
        });
        log(`  findings in users.py: ${countBefore} before Fix All, ${countAfter} after`);
    }],
    ['the server answers the routes request with the example routes', async () => {
        const api = vscode.extensions.getExtension(EXTENSION_ID)?.exports as
            | { routes(): Promise<{ method: string; path: string }[]> }
            | undefined;
        assert.ok(api?.routes, 'the extension exports routes()');
        const routes = await api.routes();
        const labels = routes.map((route) => `${route.method} ${route.path}`);
        log(`  routes: ${labels.join(', ')}`);
        assert.ok(labels.includes('POST /users/'), labels.join(', '));
        await screenshot('after-fix-all.png');
    }],
];

export async function run(): Promise<void> {
    let failures = 0;
    for (const [name, body] of tests) {
        try {
            await body();
            log(`ok - ${name}`);
        } catch (error) {
            failures++;
            log(`not ok - ${name}\n  ${String(error instanceof Error ? error.stack ?? error.message : error).replace(/\n/g, '\n  ')}`);
        }
    }
    log(`${tests.length - failures} passed, ${failures} failed`);
    if (failures > 0) {
        throw new Error(`${failures} integration test(s) failed`);
    }
}
