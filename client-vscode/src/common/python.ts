/**
 * Which command starts the server, and whether the chosen interpreter has the `fastapi_patterns` package.
 * The order is: the `path` setting (an executable), the `interpreter` setting, the interpreter selected in the
 * Python extension, then `python3` from PATH. Checking runs the interpreter with `-c`, never the user's code.
 * This module does not import `vscode`, so the choice and the check are unit-tested in plain Node.
 */
import { execFile } from 'node:child_process';

import type { LaunchSettings } from './settings';

export const SERVER_MODULE = 'fastapi_patterns';
export const SERVER_PACKAGE = 'fastapi-patterns';
export const FALLBACK_INTERPRETER = 'python3';

export type CommandSource = 'path setting' | 'interpreter setting' | 'Python extension' | 'PATH';

export interface ServerCommand {
    command: string;
    args: string[];
    source: CommandSource;
    /** The interpreter (with leading arguments) that runs the server; undefined for an executable. */
    python: string[] | undefined;
}

/** The command that serves the language server on stdio. */
export function selectServerCommand(settings: LaunchSettings, pythonExtensionInterpreter: string | undefined): ServerCommand {
    if (settings.path.length > 0) {
        const [command, ...leading] = settings.path;
        return { command, args: [...leading, '--stdio'], source: 'path setting', python: undefined };
    }
    let python: string[];
    let source: CommandSource;
    if (settings.interpreter.length > 0) {
        python = settings.interpreter;
        source = 'interpreter setting';
    } else if (pythonExtensionInterpreter !== undefined && pythonExtensionInterpreter.trim() !== '') {
        python = [pythonExtensionInterpreter];
        source = 'Python extension';
    } else {
        python = [FALLBACK_INTERPRETER];
        source = 'PATH';
    }
    const [command, ...leading] = python;
    return { command, args: [...leading, '-m', SERVER_MODULE, '--stdio'], source, python };
}

export function describeCommand(command: ServerCommand): string {
    return [command.command, ...command.args].map((part) => (/\s/.test(part) ? JSON.stringify(part) : part)).join(' ');
}

/** The interpreter arguments that install the package with pip. */
export function pipInstallArgs(python: string[]): { command: string; args: string[] } {
    const [command, ...leading] = python;
    return { command, args: [...leading, '-m', 'pip', 'install', '--upgrade', SERVER_PACKAGE] };
}

export type PackageCheck = { kind: 'present' } | { kind: 'missing' } | { kind: 'broken'; reason: string };

/** Runs a program and reports its exit code and output; injectable for tests. */
export type ProgramRunner = (command: string, args: string[]) => Promise<{ code: number | null; output: string; spawnError?: string }>;

export const runProgram: ProgramRunner = (command, args) =>
    new Promise((resolve) => {
        execFile(command, args, { timeout: 30_000, windowsHide: true }, (error, stdout, stderr) => {
            const output = `${stdout}${stderr}`.trim();
            if (error && typeof (error as NodeJS.ErrnoException).code === 'string') {
                resolve({ code: null, output, spawnError: error.message });
                return;
            }
            const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
            resolve({ code, output });
        });
    });

const MISSING_EXIT_CODE = 3;
const FIND_SPEC = `import importlib.util, sys; sys.exit(0 if importlib.util.find_spec("${SERVER_MODULE}") else ${MISSING_EXIT_CODE})`;

/** Whether `python` can import the server package: present, missing, or the interpreter itself fails. */
export async function checkServerPackage(python: string[], run: ProgramRunner = runProgram): Promise<PackageCheck> {
    const [command, ...leading] = python;
    const result = await run(command, [...leading, '-c', FIND_SPEC]);
    if (result.spawnError !== undefined) {
        return { kind: 'broken', reason: `cannot run ${command}: ${result.spawnError}` };
    }
    if (result.code === 0) {
        return { kind: 'present' };
    }
    if (result.code === MISSING_EXIT_CODE) {
        return { kind: 'missing' };
    }
    const detail = result.output.split('\n').slice(-1)[0] ?? '';
    return { kind: 'broken', reason: `${command} exited with code ${result.code}${detail ? `: ${detail}` : ''}` };
}
