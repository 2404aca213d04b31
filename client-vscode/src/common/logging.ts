/**
 * The output channel. One log channel named "FastAPI Patterns" carries the client's own messages, the server's
 * stderr and, with `fastapi-patterns.trace.server`, the protocol trace; Show Output and the status item open it.
 */
import * as vscode from 'vscode';

export const OUTPUT_NAME = 'FastAPI Patterns';

let channel: vscode.LogOutputChannel | undefined;

export function outputChannel(): vscode.LogOutputChannel {
    channel ??= vscode.window.createOutputChannel(OUTPUT_NAME, { log: true });
    return channel;
}

export function logInfo(message: string): void {
    outputChannel().info(message);
}

export function logWarning(message: string): void {
    outputChannel().warn(message);
}

export function logError(message: string): void {
    outputChannel().error(message);
}

export function showOutput(): void {
    outputChannel().show(true);
}
