/**
 * The "FastAPI Routes" view in the explorer: a tree data provider over the nodes `routeTree` builds from what
 * `routeLoading` gets from the running server. Routers are expanded, routes open their handler on click, and the
 * view refreshes, after a quiet moment, when our diagnostics change, Python files are saved or change on disk,
 * or the server changes state; the title's refresh button refreshes at once.
 */
import * as vscode from 'vscode';
import { DocumentSymbolRequest, LanguageClient } from 'vscode-languageclient/node';

import { logWarning } from './logging';
import { RestartScheduler } from './restart';
import { RouteSource, RouteTableLoader } from './routeLoading';
import { groupRoutes, RouteNode, RouteRecord, RouterNode, routesFromSymbols, RouteSymbol, RouteTreeNode } from './routeTree';
import { fileLabel, findingsOf } from './vscodeapi';

export const ROUTES_VIEW_ID = 'fastapi-patterns.routes';
export const ROUTES_REQUEST = 'fastapi-patterns/routes';
const REFRESH_QUIET_MS = 750; // longer than the server's pause before it re-indexes a document being typed in
const PROVISIONAL_AFTER_MS = 1000;

/** The server's route table (all workspace folders). */
export function requestRoutes(client: LanguageClient): Promise<RouteRecord[]> {
    return client.sendRequest<RouteRecord[]>(ROUTES_REQUEST, {});
}

/** The routes the running server answers for, through `client()` (undefined while none runs). */
export function clientRouteSource(client: () => LanguageClient | undefined): RouteSource {
    return {
        routeTable: () => {
            const running = client();
            return running ? requestRoutes(running) : undefined;
        },
        openDocumentRoutes: async () => {
            const running = client();
            if (running === undefined) {
                return [];
            }
            const python = vscode.workspace.textDocuments.filter((document) => document.languageId === 'python');
            const answers = await Promise.all(python.map(async (document) => {
                const uri = running.code2ProtocolConverter.asUri(document.uri);
                const symbols = await running.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
                return routesFromSymbols(uri, symbols as RouteSymbol[] | null);
            }));
            return answers.flat();
        },
    };
}

export class RoutesTreeProvider implements vscode.TreeDataProvider<RouteTreeNode>, vscode.Disposable {
    private readonly changed = new vscode.EventEmitter<RouteTreeNode | undefined>();
    readonly onDidChangeTreeData = this.changed.event;
    private readonly loader: RouteTableLoader;
    private readonly scheduler = new RestartScheduler(async () => this.refreshNow(), REFRESH_QUIET_MS);
    private readonly parents = new Map<string, RouterNode>();
    private view: vscode.TreeView<RouteTreeNode> | undefined;

    constructor(source: RouteSource) {
        this.loader = new RouteTableLoader(source, () => this.changed.fire(undefined), PROVISIONAL_AFTER_MS, undefined,
            (problem) => logWarning(`${ROUTES_REQUEST}: ${problem}`));
    }

    /** The view whose message shows what the tree cannot (no server, indexing, nothing found). */
    attach(view: vscode.TreeView<RouteTreeNode>): void {
        this.view = view;
    }

    /** Refresh once things have been quiet for a moment. */
    requestRefresh(): void {
        this.scheduler.request();
    }

    refreshNow(): void {
        this.loader.invalidate();
        this.changed.fire(undefined);
    }

    async getChildren(element?: RouteTreeNode): Promise<RouteTreeNode[]> {
        if (element !== undefined) {
            return element.kind === 'router' ? element.routes : [];
        }
        const snapshot = await this.loader.load();
        if (this.view !== undefined) {
            this.view.message = snapshot.message;
        }
        const groups = groupRoutes(snapshot.routes, findingsOf, fileLabel);
        this.parents.clear();
        for (const group of groups) {
            group.routes.forEach((route) => this.parents.set(route.id, group));
        }
        return groups;
    }

    getParent(element: RouteTreeNode): RouterNode | undefined {
        return element.kind === 'route' ? this.parents.get(element.id) : undefined;
    }

    getTreeItem(element: RouteTreeNode): vscode.TreeItem {
        return element.kind === 'router' ? routerItem(element) : routeItem(element);
    }

    dispose(): void {
        this.scheduler.dispose();
        this.changed.dispose();
    }
}

function routerItem(node: RouterNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon('symbol-namespace');
    item.contextValue = 'router';
    return item;
}

function routeItem(node: RouteNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = (node.findings?.length ?? 0) > 0
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
        : new vscode.ThemeIcon('symbol-method');
    item.contextValue = 'route';
    const { start, end } = node.route.range;
    const selection = new vscode.Range(start.line, start.character, end.line, end.character);
    item.command = {
        command: 'vscode.open',
        title: 'Open the handler',
        arguments: [vscode.Uri.parse(node.route.uri), { selection } satisfies vscode.TextDocumentShowOptions],
    };
    return item;
}
