/**
 * The language client's life: choose the command, make sure the package is importable (offering to install it
 * with pip once per interpreter), start `python -m fastapi_patterns --stdio`, answer the server's
 * `workspace/configuration` requests with the explicitly set settings, send them again when they change, and
 * restart (coalesced) when the launch settings or the selected interpreter change.
 */
import * as vscode from 'vscode';
import {
    DidChangeConfigurationNotification,
    LanguageClient,
    LanguageClientOptions,
    RevealOutputChannelOn,
    ServerOptions,
    State,
    TransportKind,
} from 'vscode-languageclient/node';

import { logError, logInfo, logWarning, outputChannel } from './logging';
import { checkServerPackage, describeCommand, pipInstallArgs, selectServerCommand, SERVER_PACKAGE, ServerCommand } from './python';
import { RestartScheduler } from './restart';
import { classifyChange, resolveLaunchSettings, resolveServerSettings, SECTION } from './settings';
import { ServerStatus } from './status';
import { activeInterpreter, runInTerminal, settingInspector, variablesFor } from './vscodeapi';

export const CLIENT_ID = SECTION;
const CLIENT_NAME = 'FastAPI Patterns';
const RESTART_QUIET_MS = 300;
const INSTALL_ACTION = 'Install fastapi-patterns';

export class ServerController implements vscode.Disposable {
    private client: LanguageClient | undefined;
    private readonly scheduler = new RestartScheduler(() => this.restartNow(), RESTART_QUIET_MS);
    private readonly offeredInstall = new Set<string>();

    constructor(private readonly status: ServerStatus) {}

    get languageClient(): LanguageClient | undefined {
        return this.client?.state === State.Running ? this.client : undefined;
    }

    /** Restart after the current burst of changes. */
    requestRestart(): void {
        this.scheduler.request();
    }

    /** Restart at once (the Restart Server command); offers the install again if the package is still missing. */
    restart(): Promise<void> {
        this.offeredInstall.clear();
        return this.scheduler.now();
    }

    onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
        const change = classifyChange((section) => event.affectsConfiguration(section));
        if (change === 'restart') {
            this.requestRestart();
        } else if (change === 'resend' && this.languageClient) {
            // An empty notification makes the server ask again, globally and per folder (see the middleware).
            void this.languageClient.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
        }
    }

    async start(): Promise<void> {
        this.status.set('starting');
        const scope = vscode.workspace.workspaceFolders?.[0]?.uri;
        const launch = resolveLaunchSettings(settingInspector(scope), variablesFor(scope));
        const launchIsSet = launch.path.length > 0 || launch.interpreter.length > 0;
        const command = selectServerCommand(launch, launchIsSet ? undefined : await activeInterpreter(scope));
        logInfo(`server command (from the ${command.source}): ${describeCommand(command)}`);
        if (!(await this.ensurePackage(command))) {
            return;
        }
        const client = this.createClient(command, scope);
        this.client = client;
        client.onDidChangeState((event) => {
            if (event.newState === State.Running) {
                this.status.set('ready', describeCommand(command));
            } else if (event.newState === State.Starting) {
                this.status.set('starting');
            } else if (this.client === client) {
                // stop() forgets the client first, so a stop seen here was not asked for: a crash or a failed start.
                this.status.set('error', 'the server stopped; see the output');
            }
        });
        try {
            await client.start();
        } catch (error) {
            logError(`the server did not start: ${String(error)}`);
            this.status.set('error', String(error));
        }
    }

    async stop(): Promise<void> {
        const client = this.client;
        this.client = undefined;
        if (client !== undefined) {
            try {
                await client.stop(2000);
            } catch (error) {
                logWarning(`stopping the server: ${String(error)}`);
            }
            await client.dispose().catch(() => undefined);
        }
        this.status.set('stopped');
    }

    async dispose(): Promise<void> {
        this.scheduler.dispose();
        await this.stop();
    }

    private async restartNow(): Promise<void> {
        await this.stop();
        await this.start();
    }

    /** True when the server can be started; otherwise the status shows why. */
    private async ensurePackage(command: ServerCommand): Promise<boolean> {
        if (command.python === undefined) {
            return true;
        }
        const check = await checkServerPackage(command.python);
        if (check.kind === 'present') {
            return true;
        }
        const interpreter = command.python.join(' ');
        if (check.kind === 'broken') {
            logError(check.reason);
            this.status.set('error', check.reason);
            void vscode.window.showErrorMessage(`FastAPI Patterns cannot use the interpreter ${interpreter}: ${check.reason}`);
            return false;
        }
        this.status.set('error', `${SERVER_PACKAGE} is not installed in ${interpreter}`);
        logWarning(`${SERVER_PACKAGE} is not installed in ${interpreter}`);
        if (this.offeredInstall.has(interpreter)) {
            return false;
        }
        this.offeredInstall.add(interpreter);
        const choice = await vscode.window.showWarningMessage(
            `FastAPI Patterns needs the ${SERVER_PACKAGE} package in ${interpreter}.`,
            INSTALL_ACTION,
        );
        if (choice !== INSTALL_ACTION) {
            return false;
        }
        const pip = pipInstallArgs(command.python);
        const exitCode = await runInTerminal(`install ${SERVER_PACKAGE}`, pip.command, pip.args);
        if (exitCode !== 0) {
            const message = `pip could not install ${SERVER_PACKAGE} (exit code ${exitCode ?? 'unknown'}); see the terminal.`;
            logError(message);
            void vscode.window.showErrorMessage(`FastAPI Patterns: ${message}`);
            return false;
        }
        return (await checkServerPackage(command.python)).kind === 'present';
    }

    private createClient(command: ServerCommand, scope: vscode.Uri | undefined): LanguageClient {
        const serverOptions: ServerOptions = {
            command: command.command,
            args: command.args,
            transport: TransportKind.stdio,
            options: { cwd: scope?.fsPath, env: { ...process.env, PYTHONUNBUFFERED: '1' } },
        };
        const clientOptions: LanguageClientOptions = {
            documentSelector: [
                { scheme: 'file', language: 'python' },
                { scheme: 'untitled', language: 'python' },
            ],
            outputChannel: outputChannel(),
            traceOutputChannel: outputChannel(),
            revealOutputChannelOn: RevealOutputChannelOn.Never,
            initializationOptions: { [SECTION]: resolveServerSettings(settingInspector(scope)) },
            middleware: {
                workspace: {
                    configuration: (params) =>
                        params.items.map((item) => {
                            if (item.section !== undefined && item.section !== SECTION) {
                                return null;
                            }
                            const itemScope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
                            return resolveServerSettings(settingInspector(itemScope));
                        }),
                },
            },
        };
        return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    }
}
