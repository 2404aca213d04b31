/**
 * Settings: which `fastapi-patterns.*` keys exist, which of them the server reads and which only the client
 * uses, and how a value is resolved. Only values the user set somewhere (user, workspace, folder) are sent to
 * the server: a default from package.json must never hide the project's `[tool.fastapi-patterns]` table,
 * because the server lays editor settings over the configuration file. This module does not import `vscode`;
 * callers hand it an inspector over the real configuration, so the rules here are unit-tested in plain Node.
 */

export const SECTION = 'fastapi-patterns';

/** Keys the server reads: the configuration file's keys plus `debounce-ms`. package.json declares each. */
export const SERVER_SETTING_KEYS = [
    'select',
    'ignore',
    'extend-select',
    'severity',
    'per-file-ignores',
    'exclude',
    'offload-style',
    'blocking-calls',
    'sensitive-fields',
    'non-creating-post-words',
    'cache-decorators',
    'test-patterns',
    'show-syntax-errors',
    'max-fix-size',
    'max-file-size',
    'debounce-ms',
] as const;

/** Keys that change how the server is started: a change restarts it. */
export const LAUNCH_SETTING_KEYS = ['interpreter', 'path'] as const;

/** What `WorkspaceConfiguration.inspect` answers, reduced to the scopes a setting can be written in. */
export interface SettingInspection {
    globalValue?: unknown;
    workspaceValue?: unknown;
    workspaceFolderValue?: unknown;
    globalLanguageValue?: unknown;
    workspaceLanguageValue?: unknown;
    workspaceFolderLanguageValue?: unknown;
}

export type SettingInspector = (key: string) => SettingInspection | undefined;

/** How a configuration change should be handled. */
export type SettingsChange = 'restart' | 'resend' | 'none';

export interface LaunchSettings {
    /** The interpreter and its leading arguments; empty when not set. */
    interpreter: string[];
    /** A `fastapi-patterns` executable and its leading arguments; empty when not set. */
    path: string[];
}

/** The value the user set in the most specific scope, or undefined when only the default applies. */
export function explicitValue(inspection: SettingInspection | undefined): unknown {
    if (inspection === undefined) {
        return undefined;
    }
    const mostSpecificFirst = [
        inspection.workspaceFolderLanguageValue,
        inspection.workspaceFolderValue,
        inspection.workspaceLanguageValue,
        inspection.workspaceValue,
        inspection.globalLanguageValue,
        inspection.globalValue,
    ];
    return mostSpecificFirst.find((value) => value !== undefined);
}

/** The settings object the server receives: only keys with an explicit value, under their kebab-case names. */
export function resolveServerSettings(inspect: SettingInspector): Record<string, unknown> {
    const settings: Record<string, unknown> = {};
    for (const key of SERVER_SETTING_KEYS) {
        const value = explicitValue(inspect(key));
        if (value !== undefined && value !== null) {
            settings[key] = value;
        }
    }
    return settings;
}

/**
 * The launch settings, with `${workspaceFolder}`, `${userHome}` and `~` expanded. A single string is accepted
 * as a one-element list; empty strings are dropped so that `[""]` means "not set".
 */
export function resolveLaunchSettings(
    inspect: SettingInspector,
    variables: { workspaceFolder?: string; userHome?: string },
): LaunchSettings {
    const read = (key: string): string[] => {
        const value = explicitValue(inspect(key));
        const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
        return items
            .filter((item): item is string => typeof item === 'string' && item.trim() !== '')
            .map((item) => expandVariables(item, variables));
    };
    return { interpreter: read('interpreter'), path: read('path') };
}

export function expandVariables(text: string, variables: { workspaceFolder?: string; userHome?: string }): string {
    let expanded = text;
    if (variables.userHome !== undefined) {
        expanded = expanded.replace(/\$\{userHome\}/g, variables.userHome);
        if (expanded === '~' || expanded.startsWith('~/')) {
            expanded = variables.userHome + expanded.slice(1);
        }
    }
    if (variables.workspaceFolder !== undefined) {
        expanded = expanded.replace(/\$\{workspaceFolder\}/g, variables.workspaceFolder);
    }
    return expanded;
}

/** Launch keys restart the server, server keys are sent again, anything else (trace included) is ignored. */
export function classifyChange(affects: (section: string) => boolean): SettingsChange {
    if (LAUNCH_SETTING_KEYS.some((key) => affects(`${SECTION}.${key}`))) {
        return 'restart';
    }
    if (SERVER_SETTING_KEYS.some((key) => affects(`${SECTION}.${key}`))) {
        return 'resend';
    }
    return 'none';
}
