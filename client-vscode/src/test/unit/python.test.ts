/** Interpreter selection and the package check, with the program runner replaced by a recording fake. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { checkServerPackage, pipInstallArgs, ProgramRunner, selectServerCommand } from '../../common/python';

const none = { interpreter: [], path: [] };

test('the path setting wins and runs the executable directly', () => {
    const command = selectServerCommand({ interpreter: ['/venv/bin/python'], path: ['/opt/fap', '--verbose'] }, '/ext/python');
    assert.deepEqual(command, { command: '/opt/fap', args: ['--verbose', '--stdio'], source: 'path setting', python: undefined });
});

test('the interpreter setting beats the Python extension', () => {
    const command = selectServerCommand({ interpreter: ['/venv/bin/python', '-X', 'utf8'], path: [] }, '/ext/python');
    assert.equal(command.source, 'interpreter setting');
    assert.deepEqual([command.command, ...command.args], ['/venv/bin/python', '-X', 'utf8', '-m', 'fastapi_patterns', '--stdio']);
    assert.deepEqual(command.python, ['/venv/bin/python', '-X', 'utf8']);
});

test('the Python extension interpreter is used when nothing is set, python3 when it has none', () => {
    assert.equal(selectServerCommand(none, '/ext/python').command, '/ext/python');
    assert.equal(selectServerCommand(none, '/ext/python').source, 'Python extension');
    assert.equal(selectServerCommand(none, undefined).command, 'python3');
    assert.equal(selectServerCommand(none, '  ').source, 'PATH');
});

test('pip runs in the chosen interpreter', () => {
    assert.deepEqual(pipInstallArgs(['/venv/bin/python', '-I']), {
        command: '/venv/bin/python',
        args: ['-I', '-m', 'pip', 'install', '--upgrade', 'fastapi-patterns'],
    });
});

test('the package check tells present, missing and a broken interpreter apart', async () => {
    const calls: string[][] = [];
    const answering = (result: Awaited<ReturnType<ProgramRunner>>): ProgramRunner => async (command, args) => {
        calls.push([command, ...args]);
        return result;
    };
    assert.deepEqual(await checkServerPackage(['/py'], answering({ code: 0, output: '' })), { kind: 'present' });
    assert.deepEqual(await checkServerPackage(['/py'], answering({ code: 3, output: '' })), { kind: 'missing' });
    const crashed = await checkServerPackage(['/py'], answering({ code: 1, output: 'Traceback\nSyntaxError: bad' }));
    assert.deepEqual(crashed, { kind: 'broken', reason: '/py exited with code 1: SyntaxError: bad' });
    const absent = await checkServerPackage(['/nope'], answering({ code: null, output: '', spawnError: 'ENOENT' }));
    assert.equal(absent.kind, 'broken');
    assert.equal(calls[0][0], '/py');
    assert.equal(calls[0][1], '-c');
});

test('with a real interpreter: a package out of reach is missing, an absent interpreter is broken', async () => {
    // -S -I: no site-packages, so fastapi_patterns cannot be found whether or not it is installed.
    assert.deepEqual(await checkServerPackage(['python3', '-S', '-I']), { kind: 'missing' });
    const absent = await checkServerPackage(['/nonexistent/bin/python']);
    assert.equal(absent.kind, 'broken');
    assert.match(absent.kind === 'broken' ? absent.reason : '', /cannot run \/nonexistent\/bin\/python/);
});
