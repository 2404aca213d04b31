/** Where the routes view's records come from: the full table, open files while indexing, stale answers dropped. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Timers } from '../../common/restart';
import { MESSAGES, RouteSource, RouteTableLoader } from '../../common/routeLoading';
import { RouteRecord } from '../../common/routeTree';

class ManualTimers implements Timers {
    private next = 1;
    readonly waiting = new Map<number, () => void>();

    set(callback: () => void): unknown {
        const handle = this.next++;
        this.waiting.set(handle, callback);
        return handle;
    }

    clear(handle: unknown): void {
        this.waiting.delete(handle as number);
    }

    fire(): void {
        const callbacks = [...this.waiting.values()];
        this.waiting.clear();
        callbacks.forEach((callback) => callback());
    }
}

function record(path: string): RouteRecord {
    const at = { line: 1, character: 4 };
    return { method: 'GET', path, handler: 'h', uri: 'file:///a.py', range: { start: at, end: at } };
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
    let resolve = (_value: T): void => undefined;
    let reject = (_error: unknown): void => undefined;
    const promise = new Promise<T>((done, fail) => {
        resolve = done;
        reject = fail;
    });
    return { promise, resolve, reject };
}

const settle = () => new Promise<void>((done) => setImmediate(done));

/** A source whose table requests are answered by hand, in order. */
function handSource(openFiles: RouteRecord[] = []): RouteSource & { requests: ReturnType<typeof deferred<RouteRecord[]>>[] } {
    const requests: ReturnType<typeof deferred<RouteRecord[]>>[] = [];
    return {
        requests,
        routeTable: () => {
            const request = deferred<RouteRecord[]>();
            requests.push(request);
            return request.promise;
        },
        openDocumentRoutes: async () => openFiles,
    };
}

test('a quick answer is the table, asked once until invalidated', async () => {
    const source = handSource();
    const loader = new RouteTableLoader(source, () => assert.fail('no late table'), 1000, new ManualTimers());
    const loading = loader.load();
    source.requests[0].resolve([record('/a')]);
    const snapshot = await loading;
    assert.deepEqual([snapshot.kind, snapshot.routes.map((r) => r.path), snapshot.message], ['index', ['/a'], undefined]);
    await loader.load();
    assert.equal(source.requests.length, 1, 'the settled table is reused');
    loader.invalidate();
    const reloading = loader.load();
    source.requests[1].resolve([]);
    assert.deepEqual([(await reloading).kind, (await reloading).message], ['index', MESSAGES.empty]);
});

test('while the index is built the open files stand in, and the full table asks for a refresh', async () => {
    const timers = new ManualTimers();
    const source = handSource([record('/open')]);
    let lateTables = 0;
    const loader = new RouteTableLoader(source, () => lateTables++, 1000, timers);
    const loading = loader.load();
    await settle();
    timers.fire();
    const provisional = await loading;
    assert.deepEqual([provisional.kind, provisional.routes.map((r) => r.path), provisional.message], ['open-files', ['/open'], MESSAGES.indexing]);
    assert.equal(lateTables, 0);
    source.requests[0].resolve([record('/a'), record('/b')]);
    await settle();
    assert.equal(lateTables, 1);
    const full = await loader.load();
    assert.deepEqual([full.kind, full.routes.length], ['index', 2]);
    assert.equal(source.requests.length, 1);
});

test('an answer to a request made before invalidate is dropped', async () => {
    const timers = new ManualTimers();
    const source = handSource();
    let lateTables = 0;
    const loader = new RouteTableLoader(source, () => lateTables++, 1000, timers);
    const first = loader.load();
    await settle();
    timers.fire();
    await first;
    loader.invalidate(); // an edit happened while the first request was out
    source.requests[0].resolve([record('/stale')]);
    await settle();
    assert.equal(lateTables, 0, 'no refresh for a stale table');
    const second = loader.load();
    assert.equal(source.requests.length, 2, 'the table is asked for again');
    source.requests[1].resolve([record('/fresh')]);
    assert.deepEqual((await second).routes.map((r) => r.path), ['/fresh']);
});

test('no server, a server without the request, and a failing request each say so', async () => {
    const timers = new ManualTimers();
    const stopped = new RouteTableLoader({ routeTable: () => undefined, openDocumentRoutes: async () => [] }, () => undefined, 1000, timers);
    assert.deepEqual(await stopped.load(), { kind: 'no-server', routes: [], message: MESSAGES.noServer });

    const older = handSource([record('/open')]);
    const olderLoader = new RouteTableLoader(older, () => undefined, 1000, timers);
    const unsupported = olderLoader.load();
    older.requests[0].reject(Object.assign(new Error('Unhandled method fastapi-patterns/routes'), { code: -32601 }));
    assert.deepEqual(await unsupported, { kind: 'open-files', routes: [record('/open')], message: MESSAGES.unsupported });

    const problems: string[] = [];
    const broken = handSource();
    const brokenLoader = new RouteTableLoader(broken, () => undefined, 1000, timers, (problem) => problems.push(problem));
    const failing = brokenLoader.load();
    broken.requests[0].reject(new Error('internal error'));
    const snapshot = await failing;
    assert.equal(snapshot.kind, 'failed');
    assert.equal(snapshot.message, `${MESSAGES.failed} Error: internal error`);
    assert.deepEqual(problems, ['Error: internal error']);
});
