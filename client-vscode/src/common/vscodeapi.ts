/**
 * The thin wrapper over the parts of the VS Code and Python extension APIs the client needs: reading settings
 * as inspectors, the active interpreter and its changes, running pip in a visible terminal, our findings per
 * file and the events after which the routes may differ. Everything that decides (settings resolution,
 * interpreter choice, restart coalescing, the routes view's grouping and counting) lives in modules without
 * `vscode`.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { PythonExtension } from '@vscode/python-extension';

import { logWarning } from './logging';
import type { FindingMark } from './routeTree';
import { SECTION, SettingInspector } from './settings';

export function settingInspector(scope?: vscode.ConfigurationScope): SettingInspector {
    const configuration = vscode.workspace.getConfiguration(SECTION, scope);
    return (key) => configuration.inspect(key);
}

export function variablesFor(scope?: vscode.Uri): { workspaceFolder?: string; userHome?: string } {
    const folder = scope ? vscode.workspace.getWorkspaceFolder(scope) : vscode.workspace.workspaceFolders?.[0];
    return { workspaceFolder: folder?.uri.fsPath, userHome: os.homedir() };
}

let pythonApi: Promise<PythonExtension | undefined> | undefined;

function pythonExtension(): Promise<PythonExtension | undefined> {
    pythonApi ??= (async () => {
        if (vscode.extensions.getExtension('ms-python.python') === undefined) {
            return undefined;
        }
        try {
            return await PythonExtension.api();
        } catch (error) {
            logWarning(`the Python extension did not answer: ${String(error)}`);
            return undefined;
        }
    })();
    return pythonApi;
}

/** The interpreter selected in the Python extension for `resource`, or undefined without the extension. */
export async function activeInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
    const api = await pythonExtension();
    if (api === undefined) {
        return undefined;
    }
    const environmentPath = api.environments.getActiveEnvironmentPath(resource);
    const environment = await api.environments.resolveEnvironment(environmentPath);
    return environment?.executable.uri?.fsPath;
}

/** Calls `listener` when the selected interpreter changes; nothing happens without the Python extension. */
export async function onInterpreterChange(listener: () => void): Promise<vscode.Disposable> {
    const api = await pythonExtension();
    return api ? api.environments.onDidChangeActiveEnvironmentPath(() => listener()) : new vscode.Disposable(() => undefined);
}

/** Runs a program as a task in a terminal the user sees; resolves with its exit code (undefined: unknown). */
export async function runInTerminal(name: string, command: string, args: string[]): Promise<number | undefined> {
    const task = new vscode.Task(
        { type: 'process', id: `fastapi-patterns-${name}` },
        vscode.TaskScope.Workspace,
        name,
        'fastapi-patterns',
        new vscode.ProcessExecution(command, args),
    );
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated };
    const execution = await vscode.tasks.executeTask(task);
    return new Promise((resolve) => {
        const subscription = vscode.tasks.onDidEndTaskProcess((event) => {
            if (event.execution === execution) {
                subscription.dispose();
                resolve(event.exitCode);
            }
        });
    });
}

/** The `source` of the diagnostics our server publishes. */
export const DIAGNOSTIC_SOURCE = 'fastapi-patterns';

/** Our findings in the file at `uri` (as the server spells it); undefined when VS Code has not had it checked. */
export function findingsOf(uri: string): FindingMark[] | undefined {
    const parsed = vscode.Uri.parse(uri);
    const ours = vscode.languages.getDiagnostics(parsed).filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
    const key = parsed.toString();
    if (ours.length === 0 && !vscode.workspace.textDocuments.some((document) => document.uri.toString() === key)) {
        return undefined;
    }
    return ours.map((diagnostic) => ({ line: diagnostic.range.start.line, code: codeOf(diagnostic) }));
}

function codeOf(diagnostic: vscode.Diagnostic): string {
    const code = diagnostic.code;
    return typeof code === 'object' && code !== null ? String(code.value) : String(code ?? '');
}

/** The file's path relative to its workspace folder, for labels. */
export function fileLabel(uri: string): string {
    return vscode.workspace.asRelativePath(vscode.Uri.parse(uri));
}

/** Calls `listener` after anything that may change the routes or their findings: our diagnostics of Python
 * files, saved Python documents, and Python files created, changed or deleted on disk. */
export function onRoutesMayHaveChanged(listener: () => void): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
    return vscode.Disposable.from(
        vscode.languages.onDidChangeDiagnostics((event) => {
            if (event.uris.some((uri) => uri.path.endsWith('.py') || uri.scheme === 'untitled')) {
                listener();
            }
        }),
        vscode.workspace.onDidSaveTextDocument((document) => {
            if (document.languageId === 'python') {
                listener();
            }
        }),
        watcher,
        watcher.onDidCreate(listener),
        watcher.onDidChange(listener),
        watcher.onDidDelete(listener),
    );
}
