/**
 * Where the routes view's records come from, without `vscode`. The server's `fastapi-patterns/routes` request
 * answers once the workspace index is built; while that takes longer than a moment, the view shows the route
 * symbols of the open documents and is told to refresh when the full table arrives. A server without the
 * request gives the open documents' routes for good. Answers to a request made before the last `invalidate`
 * are dropped, so a table that an edit made stale is never shown. Timers are injected for the tests.
 */
import type { Timers } from './restart';
import { realTimers } from './restart';
import type { RouteRecord } from './routeTree';

export const METHOD_NOT_FOUND = -32601;

/** What the loader asks; `undefined` from `routeTable` means no server is running. */
export interface RouteSource {
    routeTable(): Promise<RouteRecord[]> | undefined;
    openDocumentRoutes(): Promise<RouteRecord[]>;
}

export type SnapshotKind = 'index' | 'open-files' | 'no-server' | 'failed';

export interface RouteSnapshot {
    kind: SnapshotKind;
    routes: RouteRecord[];
    /** A line for the top of the view, when there is something to say. */
    message: string | undefined;
}

export const MESSAGES = {
    empty: 'No path operations found in this workspace.',
    indexing: 'Indexing the workspace: the routes of open files until it is done.',
    unsupported: 'This fastapi-patterns server lists the routes of open files only.',
    noServer: 'The FastAPI Patterns server is not running.',
    failed: 'Could not get the routes (see the output):',
} as const;

export class RouteTableLoader {
    private generation = 0;
    private settled: RouteSnapshot | undefined;
    private inFlight: Promise<RouteSnapshot> | undefined;

    constructor(
        private readonly source: RouteSource,
        /** Called when a full table arrives after a provisional one was shown for the same generation. */
        private readonly onLateTable: () => void,
        private readonly provisionalAfterMs: number,
        private readonly timers: Timers = realTimers,
        private readonly report: (problem: string) => void = () => undefined,
    ) {}

    /** Forget the current table: the next `load` asks the server again. */
    invalidate(): void {
        this.generation++;
        this.settled = undefined;
        this.inFlight = undefined;
    }

    async load(): Promise<RouteSnapshot> {
        if (this.settled !== undefined) {
            return this.settled;
        }
        const generation = this.generation;
        this.inFlight ??= this.fetch(generation);
        const full = this.inFlight;
        let handle: unknown;
        const moment = new Promise<'late'>((resolve) => {
            handle = this.timers.set(() => resolve('late'), this.provisionalAfterMs);
        });
        const first = await Promise.race([full, moment]);
        this.timers.clear(handle);
        if (first !== 'late') {
            return first;
        }
        void full.then(() => {
            if (generation === this.generation) {
                this.onLateTable();
            }
        });
        return { kind: 'open-files', routes: await this.openDocumentRoutes(), message: MESSAGES.indexing };
    }

    private async fetch(generation: number): Promise<RouteSnapshot> {
        const snapshot = await this.ask();
        if (generation === this.generation) {
            this.settled = snapshot;
        }
        return snapshot;
    }

    private async ask(): Promise<RouteSnapshot> {
        const request = this.source.routeTable();
        if (request === undefined) {
            return { kind: 'no-server', routes: [], message: MESSAGES.noServer };
        }
        try {
            const routes = await request;
            return { kind: 'index', routes, message: routes.length === 0 ? MESSAGES.empty : undefined };
        } catch (error) {
            if ((error as { code?: unknown }).code === METHOD_NOT_FOUND) {
                return { kind: 'open-files', routes: await this.openDocumentRoutes(), message: MESSAGES.unsupported };
            }
            this.report(String(error));
            return { kind: 'failed', routes: [], message: `${MESSAGES.failed} ${String(error)}` };
        }
    }

    private async openDocumentRoutes(): Promise<RouteRecord[]> {
        try {
            return await this.source.openDocumentRoutes();
        } catch (error) {
            this.report(String(error));
            return [];
        }
    }
}
