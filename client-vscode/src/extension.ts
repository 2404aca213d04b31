/**
 * The extension's entry points: `activate` wires the status item, the commands, the routes view and the change
 * listeners to a ServerController and starts the server; `deactivate` stops it. All behaviour lives in `common/`.
 */
import * as vscode from 'vscode';

import { fixAll, showRoutes } from './common/commands';
import { logInfo, showOutput } from './common/logging';
import { RouteRecord, RouteTreeNode } from './common/routeTree';
import { clientRouteSource, requestRoutes, ROUTES_VIEW_ID, RoutesTreeProvider } from './common/routesView';
import { ServerController } from './common/server';
import { ServerStatus } from './common/status';
import { onInterpreterChange, onRoutesMayHaveChanged } from './common/vscodeapi';

let controller: ServerController | undefined;

/** What `activate` returns to other extensions (and to the integration tests). */
export interface FastApiPatternsApi {
    routes(): Promise<RouteRecord[]>;
    routesView: vscode.TreeDataProvider<RouteTreeNode>;
}

export async function activate(context: vscode.ExtensionContext): Promise<FastApiPatternsApi> {
    const status = new ServerStatus('fastapi-patterns.showOutput');
    const server = new ServerController(status);
    controller = server;
    const routesTree = new RoutesTreeProvider(clientRouteSource(() => server.languageClient));
    const routesView = vscode.window.createTreeView(ROUTES_VIEW_ID, { treeDataProvider: routesTree, showCollapseAll: true });
    routesTree.attach(routesView);
    context.subscriptions.push(
        status,
        routesTree,
        routesView,
        vscode.commands.registerCommand('fastapi-patterns.restart', () => server.restart()),
        vscode.commands.registerCommand('fastapi-patterns.fixAll', () => fixAll()),
        vscode.commands.registerCommand('fastapi-patterns.showOutput', () => showOutput()),
        vscode.commands.registerCommand('fastapi-patterns.showRoutes', () => showRoutes(server.languageClient)),
        vscode.commands.registerCommand('fastapi-patterns.refreshRoutes', () => routesTree.refreshNow()),
        status.onDidChangeState(() => routesTree.requestRefresh()),
        onRoutesMayHaveChanged(() => routesTree.requestRefresh()),
        vscode.workspace.onDidChangeConfiguration((event) => server.onConfigurationChanged(event)),
        vscode.workspace.onDidChangeWorkspaceFolders(() => server.requestRestart()),
        await onInterpreterChange(() => {
            logInfo('the selected Python interpreter changed');
            server.requestRestart();
        }),
    );
    void server.start(); // not awaited: a pending "Install" message must not hold up activation
    return {
        routes: async () => {
            const client = server.languageClient;
            return client ? requestRoutes(client) : [];
        },
        routesView: routesTree,
    };
}

export async function deactivate(): Promise<void> {
    const server = controller;
    controller = undefined;
    await server?.dispose();
}
