/** Settings resolution: explicit values only, the most specific scope wins, launch settings expand variables. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
    classifyChange,
    explicitValue,
    resolveLaunchSettings,
    resolveServerSettings,
    SERVER_SETTING_KEYS,
    SettingInspection,
} from '../../common/settings';

function inspector(table: Record<string, SettingInspection>): (key: string) => SettingInspection | undefined {
    return (key) => table[key];
}

test('defaults alone send nothing, so the configuration file keeps its values', () => {
    const everyKeyAtDefault = Object.fromEntries(SERVER_SETTING_KEYS.map((key) => [key, {} as SettingInspection]));
    assert.deepEqual(resolveServerSettings(inspector(everyKeyAtDefault)), {});
});

test('the most specific scope wins', () => {
    assert.equal(explicitValue({ globalValue: 'a', workspaceValue: 'b' }), 'b');
    assert.equal(explicitValue({ globalValue: 'a', workspaceValue: 'b', workspaceFolderValue: 'c' }), 'c');
    assert.equal(explicitValue({ workspaceValue: 'b', workspaceFolderLanguageValue: 'd' }), 'd');
    assert.equal(explicitValue({ globalValue: 'a' }), 'a');
    assert.equal(explicitValue(undefined), undefined);
});

test('explicit values are sent under their kebab-case keys, an explicit empty list included', () => {
    const settings = resolveServerSettings(
        inspector({
            select: { globalValue: ['FAP1'] },
            'sensitive-fields': { workspaceValue: [] },
            'show-syntax-errors': { workspaceValue: false },
            'debounce-ms': { globalValue: 300 },
            'not-a-server-key': { globalValue: 'x' },
        }),
    );
    assert.deepEqual(settings, {
        select: ['FAP1'],
        'sensitive-fields': [],
        'show-syntax-errors': false,
        'debounce-ms': 300,
    });
});

test('launch settings accept a string or a list, drop blanks and expand variables', () => {
    const launch = resolveLaunchSettings(
        inspector({
            interpreter: { workspaceValue: '${workspaceFolder}/.venv/bin/python' },
            path: { globalValue: ['', '~/bin/fastapi-patterns'] },
        }),
        { workspaceFolder: '/proj', userHome: '/home/me' },
    );
    assert.deepEqual(launch, { interpreter: ['/proj/.venv/bin/python'], path: ['/home/me/bin/fastapi-patterns'] });
    assert.deepEqual(resolveLaunchSettings(inspector({ interpreter: { globalValue: [''] } }), {}), { interpreter: [], path: [] });
});

test('launch settings restart, server settings are resent, others are ignored', () => {
    const affecting = (...sections: string[]) => (section: string) => sections.includes(section);
    assert.equal(classifyChange(affecting('fastapi-patterns.interpreter')), 'restart');
    assert.equal(classifyChange(affecting('fastapi-patterns.path', 'fastapi-patterns.select')), 'restart');
    assert.equal(classifyChange(affecting('fastapi-patterns.per-file-ignores')), 'resend');
    assert.equal(classifyChange(affecting('fastapi-patterns.trace.server')), 'none');
    assert.equal(classifyChange(affecting('python.defaultInterpreterPath')), 'none');
});
