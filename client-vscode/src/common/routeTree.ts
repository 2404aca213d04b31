/**
 * What the "FastAPI Routes" view shows, without `vscode`: the route records of the server's
 * `fastapi-patterns/routes` answer (or, until the workspace index exists, the route symbols of open documents),
 * grouped by the router that declares them, each group labelled by that router and the prefix it is mounted at,
 * each route by its method and full path, and the findings counted from the editor's diagnostics on the lines
 * of its path operation. The view module turns these nodes into tree items.
 */

export interface LinePosition {
    line: number;
    character: number;
}

export interface LineRange {
    start: LinePosition;
    end: LinePosition;
}

/** One app or router on a route's chain, from the app down (as the server sends it). */
export interface RouterLink {
    module: string;
    name: string;
    kind: string;
    prefix: string;
    include_prefix: string;
}

/** One record of the server's `fastapi-patterns/routes` answer (the fields the client reads). */
export interface RouteRecord {
    method: string;
    path: string;
    handler: string;
    module?: string;
    uri: string;
    /** The handler's name, where a click goes. */
    range: LineRange;
    /** 0-based lines from the first decorator to the last body line; absent from older servers. */
    lines?: { start: number; end: number };
    routers?: RouterLink[];
    mounted?: boolean;
}

/** One of our diagnostics, reduced to what counting needs. */
export interface FindingMark {
    line: number;
    code: string;
}

/** The findings of one file, or undefined when the editor has not had it checked (not open, no diagnostics). */
export type FindingsOf = (uri: string) => readonly FindingMark[] | undefined;

export interface RouteNode {
    kind: 'route';
    id: string;
    label: string;
    description: string;
    tooltip: string;
    /** Codes of the findings on the route; undefined when its file has not been checked. */
    findings: string[] | undefined;
    route: RouteRecord;
}

export interface RouterNode {
    kind: 'router';
    id: string;
    label: string;
    description: string;
    tooltip: string;
    routes: RouteNode[];
}

export type RouteTreeNode = RouterNode | RouteNode;

export const NOT_MOUNTED = 'not included in any app';
const ROUTE_SYMBOL = /^([A-Z]+) (\S.*)$/;

export function routeTitle(route: Pick<RouteRecord, 'method' | 'path'>): string {
    return `${route.method} ${route.path}`;
}

export function plural(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The prefix a chain puts before its routes: each link's own prefix and the include that leads below it. */
export function mountPrefix(links: readonly RouterLink[]): string {
    return links.map((link) => `${link.prefix}${link.include_prefix}`).join('');
}

/** The codes of the findings that start on the route's lines; undefined when they cannot be known. */
export function findingsOn(route: RouteRecord, findingsOf: FindingsOf): string[] | undefined {
    const marks = findingsOf(route.uri);
    if (marks === undefined || route.lines === undefined) {
        return undefined;
    }
    const { start, end } = route.lines;
    return marks.filter((mark) => mark.line >= start && mark.line <= end).map((mark) => mark.code);
}

interface GroupKey {
    id: string;
    label: string;
    description: string;
    tooltip: string;
    /** Mounted chains first, then routes known from open files only, then routes no app includes. */
    rank: number;
}

function groupOf(route: RouteRecord, fileLabel: (uri: string) => string): GroupKey {
    const links = route.routers;
    if (links === undefined) {
        // A route from a document symbol: no chain is known yet, so it is grouped by its file.
        const file = fileLabel(route.uri);
        return { id: `file:${route.uri}`, label: file, description: 'open file', tooltip: `Routes declared in ${file}`, rank: 1 };
    }
    if (links.length === 0) {
        return { id: 'unmounted', label: `(${NOT_MOUNTED})`, description: '', tooltip: `Routes ${NOT_MOUNTED}`, rank: 2 };
    }
    const chain = links.map((link) => `${link.module}:${link.name}`);
    const declaring = chain[chain.length - 1];
    const mounted = route.mounted !== false;
    const prefix = mountPrefix(links);
    return {
        id: `chain:${chain.join('>')}${mounted ? '' : ' (unmounted)'}`,
        label: declaring,
        description: mounted ? prefix : NOT_MOUNTED,
        tooltip: chain.join(' > ') + (mounted ? '' : ` (${NOT_MOUNTED})`),
        rank: mounted ? 0 : 2,
    };
}

function routeNode(route: RouteRecord, id: string, findingsOf: FindingsOf): RouteNode {
    const findings = findingsOn(route, findingsOf);
    const count = findings === undefined || findings.length === 0 ? '' : ` · ${plural(findings.length, 'finding')}`;
    const checked =
        findings === undefined ? 'findings: open the file to check it' : `findings: ${findings.length === 0 ? 'none' : findings.join(', ')}`;
    const where = route.module ? `${route.handler} in ${route.module}` : route.handler;
    return {
        kind: 'route',
        id,
        label: routeTitle(route),
        description: `${route.handler}${count}`,
        tooltip: [routeTitle(route), `handler: ${where}`, checked].join('\n'),
        findings,
        route,
    };
}

/**
 * The view's top level: one node per router chain (or per file, for routes known from symbols only), in the
 * order of their mount prefixes, each holding its routes in the order the server sent them. Ids are unique
 * and stable across refreshes, so the view keeps what the user expanded.
 */
export function groupRoutes(routes: readonly RouteRecord[], findingsOf: FindingsOf, fileLabel: (uri: string) => string): RouterNode[] {
    const groups = new Map<string, { group: RouterNode; rank: number }>();
    const usedIds = new Set<string>();
    for (const route of routes) {
        const key = groupOf(route, fileLabel);
        let group = groups.get(key.id)?.group;
        if (group === undefined) {
            group = { kind: 'router', id: key.id, label: key.label, description: key.description, tooltip: key.tooltip, routes: [] };
            groups.set(key.id, { group, rank: key.rank });
        }
        const base = `${key.id}|${routeTitle(route)}|${route.uri}:${route.range.start.line}`;
        let id = base;
        for (let copy = 2; usedIds.has(id); copy++) {
            id = `${base}#${copy}`;
        }
        usedIds.add(id);
        group.routes.push(routeNode(route, id, findingsOf));
    }
    const ordered = [...groups.values()]
        .sort((a, b) => a.rank - b.rank || compareText(a.group.description, b.group.description) || compareText(a.group.label, b.group.label))
        .map(({ group }) => group);
    for (const group of ordered) {
        const counted = group.routes.reduce((sum, node) => sum + (node.findings?.length ?? 0), 0);
        if (counted > 0) {
            group.description = [group.description, plural(counted, 'finding')].filter((part) => part !== '').join(' · ');
        }
    }
    return ordered;
}

/** A locale-independent order, so the view (and its tests) read the same everywhere. */
function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** An LSP document symbol, hierarchical or flat, as our server sends it for a path operation. */
export type RouteSymbol =
    | { name: string; detail?: string; range: LineRange; selectionRange: LineRange }
    | { name: string; containerName?: string; location: { uri: string; range: LineRange } };

/** Route records from our server's document symbols of one document (`GET /users/{user_id}`, detail: handler). */
export function routesFromSymbols(uri: string, symbols: readonly RouteSymbol[] | null | undefined): RouteRecord[] {
    const routes: RouteRecord[] = [];
    for (const symbol of symbols ?? []) {
        const match = ROUTE_SYMBOL.exec(symbol.name);
        if (match === null) {
            continue;
        }
        const [, method, path] = match;
        if ('location' in symbol) {
            routes.push({ method, path, handler: symbol.containerName ?? '', uri: symbol.location.uri, range: symbol.location.range });
        } else {
            const lines = { start: symbol.range.start.line, end: symbol.range.end.line };
            routes.push({ method, path, handler: symbol.detail ?? '', uri, range: symbol.selectionRange, lines });
        }
    }
    return routes;
}
