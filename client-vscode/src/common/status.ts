/**
 * The status bar item: whether the server is starting, ready, stopped or failed. It shows only while a Python
 * editor is active, and a click opens the output channel. Other parts (the routes view) follow the state through
 * `onDidChangeState`.
 */
import * as vscode from 'vscode';

export type ServerState = 'starting' | 'ready' | 'stopped' | 'error';

const PRESENTATION: Record<ServerState, { icon: string; tooltip: string }> = {
    starting: { icon: '$(loading~spin)', tooltip: 'fastapi-patterns: starting the server' },
    ready: { icon: '$(check)', tooltip: 'fastapi-patterns: ready' },
    stopped: { icon: '$(circle-slash)', tooltip: 'fastapi-patterns: stopped' },
    error: { icon: '$(error)', tooltip: 'fastapi-patterns: the server failed; click for the output' },
};

export class ServerStatus implements vscode.Disposable {
    private readonly item: vscode.StatusBarItem;
    private readonly subscription: vscode.Disposable;
    private readonly stateChanged = new vscode.EventEmitter<ServerState>();
    readonly onDidChangeState: vscode.Event<ServerState> = this.stateChanged.event;
    state: ServerState = 'stopped';

    constructor(showOutputCommand: string) {
        this.item = vscode.window.createStatusBarItem('fastapi-patterns.status', vscode.StatusBarAlignment.Right, 100);
        this.item.name = 'FastAPI Patterns';
        this.item.command = showOutputCommand;
        this.subscription = vscode.window.onDidChangeActiveTextEditor(() => this.updateVisibility());
        this.set('stopped');
    }

    set(state: ServerState, detail?: string): void {
        const changed = state !== this.state;
        this.state = state;
        const { icon, tooltip } = PRESENTATION[state];
        this.item.text = `${icon} FastAPI Patterns`;
        this.item.tooltip = detail ? `${tooltip}\n${detail}` : tooltip;
        this.item.backgroundColor =
            state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
        this.updateVisibility();
        if (changed) {
            this.stateChanged.fire(state);
        }
    }

    dispose(): void {
        this.stateChanged.dispose();
        this.subscription.dispose();
        this.item.dispose();
    }

    private updateVisibility(): void {
        const languageId = vscode.window.activeTextEditor?.document.languageId;
        if (languageId === 'python' || this.state === 'error') {
            this.item.show();
        } else {
            this.item.hide();
        }
    }
}
