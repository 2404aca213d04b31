/**
 * Coalescing restarts. Setting and interpreter changes arrive in bursts (one edit of settings.json can change
 * several keys; the Python extension reports a selection more than once); each request within the quiet period
 * pushes the restart back, and requests made while a restart is running lead to exactly one more afterwards.
 * A failing restart is the caller's to report (it is swallowed here so later requests still run). The timer
 * functions are injected, so tests drive time by hand. The routes view coalesces its refreshes the same way.
 */

export interface Timers {
    set(callback: () => void, delayMs: number): unknown;
    clear(handle: unknown): void;
}

export const realTimers: Timers = {
    set: (callback, delayMs) => setTimeout(callback, delayMs),
    clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class RestartScheduler {
    private pending: unknown = undefined;
    private running: Promise<void> | undefined = undefined;
    private requestedWhileRunning = false;
    private disposed = false;

    constructor(
        private readonly restart: () => Promise<void>,
        private readonly quietMs: number,
        private readonly timers: Timers = realTimers,
    ) {}

    /** Ask for a restart; it happens once the requests have stopped for `quietMs`. */
    request(): void {
        if (this.disposed) {
            return;
        }
        if (this.running !== undefined) {
            this.requestedWhileRunning = true;
            return;
        }
        if (this.pending !== undefined) {
            this.timers.clear(this.pending);
        }
        this.pending = this.timers.set(() => {
            this.pending = undefined;
            void this.run();
        }, this.quietMs);
    }

    /** Restart now (the Restart Server command), absorbing any request that was waiting. */
    async now(): Promise<void> {
        if (this.pending !== undefined) {
            this.timers.clear(this.pending);
            this.pending = undefined;
        }
        if (this.running !== undefined) {
            this.requestedWhileRunning = true;
            return this.running;
        }
        return this.run();
    }

    dispose(): void {
        this.disposed = true;
        if (this.pending !== undefined) {
            this.timers.clear(this.pending);
            this.pending = undefined;
        }
    }

    private async run(): Promise<void> {
        const running = (async () => {
            try {
                await this.restart();
            } finally {
                this.running = undefined;
            }
        })();
        this.running = running;
        await running.catch(() => undefined);
        if (this.requestedWhileRunning && !this.disposed) {
            this.requestedWhileRunning = false;
            this.request();
        }
    }
}
