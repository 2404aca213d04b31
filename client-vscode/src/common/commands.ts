/**
 * The commands beside Restart Server and Show Output: Fix All applies the server's
 * `source.fixAll.fastapi-patterns` action to the active editor; Show Routes lists the path operations from the
 * server's `fastapi-patterns/routes` request in a quick pick (or, from a server without that request, the
 * workspace's symbols) and opens the chosen handler. The same routes, grouped by router, fill the routes view.
 */
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';

import { logWarning } from './logging';
import { METHOD_NOT_FOUND } from './routeLoading';
import { requestRoutes, ROUTES_REQUEST } from './routesView';
import { routeTitle } from './routeTree';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('fastapi-patterns');

export async function fixAll(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined || editor.document.languageId !== 'python') {
        void vscode.window.showInformationMessage('FastAPI Patterns: open a Python file to fix.');
        return;
    }
    const document = editor.document;
    const fullRange = new vscode.Range(0, 0, document.lineCount, 0);
    const actions =
        (await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider', document.uri, fullRange, FIX_ALL_KIND.value,
        )) ?? [];
    const ours = actions.filter((action) => action.kind !== undefined && FIX_ALL_KIND.contains(action.kind));
    if (ours.length === 0) {
        void vscode.window.setStatusBarMessage('FastAPI Patterns: nothing to fix', 3000);
        return;
    }
    const [action] = ours;
    if (action.edit !== undefined) {
        await vscode.workspace.applyEdit(action.edit);
    }
    if (action.command !== undefined) {
        await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
    }
}

export async function showRoutes(client: LanguageClient | undefined): Promise<void> {
    if (client === undefined) {
        void vscode.window.showWarningMessage('FastAPI Patterns: the server is not running.');
        return;
    }
    let items: (vscode.QuickPickItem & { location: vscode.Location })[];
    try {
        const routes = await requestRoutes(client);
        items = routes.map((route) => ({
            label: routeTitle(route),
            description: route.handler,
            detail: route.module,
            location: new vscode.Location(
                vscode.Uri.parse(route.uri),
                new vscode.Range(route.range.start.line, route.range.start.character, route.range.end.line, route.range.end.character),
            ),
        }));
    } catch (error) {
        if ((error as { code?: number }).code !== METHOD_NOT_FOUND) {
            logWarning(`${ROUTES_REQUEST} failed: ${String(error)}`);
        }
        const symbols =
            (await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', '')) ?? [];
        items = symbols
            .filter((symbol) => symbol.location.uri.path.endsWith('.py'))
            .map((symbol) => ({
                label: symbol.name,
                description: symbol.containerName,
                detail: vscode.workspace.asRelativePath(symbol.location.uri),
                location: symbol.location,
            }));
    }
    if (items.length === 0) {
        void vscode.window.showInformationMessage('FastAPI Patterns: no routes found in this workspace.');
        return;
    }
    const chosen = await vscode.window.showQuickPick(items, { title: 'FastAPI routes', matchOnDescription: true, matchOnDetail: true });
    if (chosen !== undefined) {
        await vscode.window.showTextDocument(chosen.location.uri, { selection: chosen.location.range });
    }
}
