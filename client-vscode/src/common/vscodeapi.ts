/**
 * The thin wrapper over the parts of the VS Code and Python extension APIs the client needs: reading settings
 * as inspectors, the active interpreter and its changes, and running pip in a visible terminal. Everything that
 * decides (settings resolution, interpreter choice, restart coalescing) lives in modules without `vscode`.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { PythonExtension } from '@vscode/python-extension';

import { logWarning } from './logging';
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
