/**
 * The integration suite, run by VS Code itself as the `extensionTestsPath` module: inside a real workbench with
 * this extension loaded, on a scratch copy of examples/shop. It waits for our diagnostics, reads the routes view
 * through its tree provider and (asking the driver) on screen, opens a handler from it, opens the Quick Fix
 * menu for FAP201 (the driver takes a screenshot), applies that quick fix, runs Fix All, sees the routes view
 * follow the edit, and asks the server for the routes. The driver is asked through files in FAP_IT_DIR.
 * Results go to FAP_IT_DIR/results.log; a failure rejects.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const SOURCE = 'fastapi-patterns';
const EXTENSION_ID = 'fastapi-patterns.fastapi-patterns';
const ROUTES_VIEW = 'fastapi-patterns.routes';
const SHOP_ROUTES = [
    'GET /', 'GET health', 'GET /items/', 'POST /items/', 'PATCH /items/{item_id}', 'GET /items/{item_id}/availability',
    'POST /items/{item_id}/orders', 'GET /items/{item_id}/share-link', 'GET /users/', 'POST /users/', 'POST /users/login',
    'DELETE /users/{user_id}', 'GET /users/{user_id}', 'GET /usersme',
];

/** The parts of the routes view's nodes the suite reads (see src/common/routeTree.ts). */
interface ViewNode {
    kind: 'router' | 'route';
    label: string;
    description: string;
    findings?: string[];
    routes?: ViewNode[];
}

interface ExtensionApi {
    routes(): Promise<{ method: string; path: string }[]>;
    routesView: vscode.TreeDataProvider<ViewNode>;
}
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

/** Asks the driver (scripts/integration.mjs) for something only the page shows; returns its answer. */
type DriverRequest = { action: 'screenshot'; name: string } | { action: 'paneText'; title: string } | { action: 'collapseFileTree' };

async function askDriver(request: DriverRequest): Promise<string> {
    const answer = path.join(scratch, 'driver-answer');
    fs.rmSync(answer, { force: true });
    fs.writeFileSync(path.join(scratch, 'driver-request'), JSON.stringify(request));
    return waitFor(`the driver to answer ${request.action}`, () => (fs.existsSync(answer) ? fs.readFileSync(answer, 'utf8') : undefined), 30_000);
}

async function screenshot(name: string): Promise<void> {
    await askDriver({ action: 'screenshot', name });
}

function extensionApi(): ExtensionApi {
    const api = vscode.extensions.getExtension(EXTENSION_ID)?.exports as ExtensionApi | undefined;
    assert.ok(api?.routes && api.routesView, 'the extension exports routes() and routesView');
    return api;
}

/** The routes view's groups with their routes, as its tree provider gives them to the workbench. */
async function routesViewNodes(): Promise<ViewNode[]> {
    const view = extensionApi().routesView;
    const groups = (await view.getChildren()) ?? [];
    return Promise.all(groups.map(async (group) => ({ ...group, routes: (await view.getChildren(group)) ?? [] })));
}

function routeLabels(groups: ViewNode[]): string[] {
    return groups.flatMap((group) => (group.routes ?? []).map((node) => node.label));
}

function routeNode(groups: ViewNode[], label: string): ViewNode | undefined {
    return groups.flatMap((group) => group.routes ?? []).find((node) => node.label === label);
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
    ['the routes view lists the example routes by router, with their findings, on screen too', async () => {
        // Room for the view in the screenshots: no chat beside the editor, a wider side bar, the file tree folded.
        await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
        await vscode.commands.executeCommand(`${ROUTES_VIEW}.focus`);
        for (let step = 0; step < 3; step++) {
            await vscode.commands.executeCommand('workbench.action.increaseViewSize'); // the focused side bar
        }
        log(`  file tree: ${await askDriver({ action: 'collapseFileTree' })}`);
        const groups = await waitFor('the routes view to count the findings of POST /users/', async () => {
            const found = await routesViewNodes();
            return routeNode(found, 'POST /users/')?.findings?.includes('FAP201') ? found : undefined;
        });
        assert.deepEqual(groups.map((group) => group.label), ['app.main:app', 'app.routers.items:router', 'app.routers.users:router']);
        assert.deepEqual([...routeLabels(groups)].sort(), [...SHOP_ROUTES].sort());
        assert.equal(groups[2].description.split(' · ')[0], '/users');
        for (const group of groups) {
            log(`  ${group.label} [${group.description}]: ${(group.routes ?? []).map((n) => `${n.label} (${n.description})`).join(', ')}`);
        }
        const onScreen = await waitFor('the routes view on screen', async () => {
            const text = await askDriver({ action: 'paneText', title: 'FastAPI Routes' });
            return text.includes('app.main:app') && text.includes('GET /items/') ? text : undefined;
        }, 20_000);
        log(`  on screen: ${onScreen.replace(/\s+/g, ' ').slice(0, 160)}`);
    }],
    ['a click on a route opens its handler', async () => {
        const groups = await routesViewNodes();
        const readUser = routeNode(groups, 'GET /users/{user_id}');
        assert.ok(readUser, 'GET /users/{user_id} is listed');
        const item = await extensionApi().routesView.getTreeItem(readUser);
        assert.ok(item.command, 'the route item has a command');
        await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
        const editor = await waitFor('the handler to open', () => {
            const active = vscode.window.activeTextEditor;
            return active?.document.uri.path.endsWith('/app/routers/users.py') ? active : undefined;
        });
        const selected = editor.document.getText(editor.selection);
        assert.equal(selected, 'read_user');
        log(`  opened users.py at line ${editor.selection.start.line + 1} on "${selected}"`);
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
    ['the routes view follows the edits of Fix All without being asked', async () => {
        // Fix All corrected `@router.get("me")` (FAP214): the route is now GET /users/me, listed once.
        const groups = await waitFor('the routes view to show GET /users/me', async () => {
            const found = await routesViewNodes();
            return routeLabels(found).includes('GET /users/me') ? found : undefined;
        });
        const labels = routeLabels(groups);
        assert.ok(!labels.includes('GET /usersme'), labels.join(', '));
        assert.equal(labels.length, SHOP_ROUTES.length, labels.join(', '));
        log(`  routes view after Fix All: ${labels.length} routes in ${groups.length} groups, GET /users/me among them`);
    }],
    ['the server answers the routes request with the example routes', async () => {
        const routes = await extensionApi().routes();
        const labels = routes.map((route) => `${route.method} ${route.path}`);
        log(`  routes: ${labels.join(', ')}`);
        assert.ok(labels.includes('POST /users/'), labels.join(', '));
        assert.equal(new Set(labels).size, labels.length, `each route once: ${labels.join(', ')}`);
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
