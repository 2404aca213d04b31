/** Restart coalescing, with hand-driven timers: bursts give one restart, requests during one give one more. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RestartScheduler, Timers } from '../../common/restart';

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

function deferred(): { promise: Promise<void>; resolve: () => void } {
    let resolve = (): void => undefined;
    const promise = new Promise<void>((done) => (resolve = done));
    return { promise, resolve };
}

const settle = () => new Promise<void>((done) => setImmediate(done));

test('a burst of requests restarts once', async () => {
    const timers = new ManualTimers();
    let restarts = 0;
    const scheduler = new RestartScheduler(async () => void restarts++, 300, timers);
    scheduler.request();
    scheduler.request();
    scheduler.request();
    assert.equal(timers.waiting.size, 1);
    assert.equal(restarts, 0);
    timers.fire();
    await settle();
    assert.equal(restarts, 1);
    assert.equal(timers.waiting.size, 0);
});

test('requests while a restart runs lead to exactly one more', async () => {
    const timers = new ManualTimers();
    const gates = [deferred(), deferred()];
    let restarts = 0;
    const scheduler = new RestartScheduler(() => gates[restarts++].promise, 300, timers);
    scheduler.request();
    timers.fire();
    await settle();
    assert.equal(restarts, 1);
    scheduler.request();
    scheduler.request();
    assert.equal(timers.waiting.size, 0, 'nothing is scheduled while the restart runs');
    gates[0].resolve();
    await settle();
    assert.equal(timers.waiting.size, 1, 'one follow-up restart is scheduled');
    timers.fire();
    await settle();
    assert.equal(restarts, 2);
    gates[1].resolve();
    await settle();
    assert.equal(timers.waiting.size, 0);
});

test('restart now absorbs a waiting request, and a failing restart does not stop later ones', async () => {
    const timers = new ManualTimers();
    let restarts = 0;
    const scheduler = new RestartScheduler(async () => {
        restarts++;
        throw new Error('server failed');
    }, 300, timers);
    scheduler.request();
    await scheduler.now(); // the failure is the controller's to report; the scheduler stays usable
    assert.equal(timers.waiting.size, 0);
    assert.equal(restarts, 1);
    scheduler.request();
    timers.fire();
    await settle();
    assert.equal(restarts, 2);
});

test('after dispose nothing restarts', async () => {
    const timers = new ManualTimers();
    let restarts = 0;
    const scheduler = new RestartScheduler(async () => void restarts++, 300, timers);
    scheduler.request();
    scheduler.dispose();
    scheduler.request();
    assert.equal(timers.waiting.size, 0);
    timers.fire();
    await settle();
    assert.equal(restarts, 0);
});
