/** The routes view's nodes: grouping by router chain, labels, findings counted on a route's lines, symbols. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FindingMark, findingsOn, groupRoutes, mountPrefix, RouteRecord, RouterLink, routesFromSymbols } from '../../common/routeTree';

const MAIN = 'file:///shop/app/main.py';
const USERS = 'file:///shop/app/routers/users.py';
const app: RouterLink = { module: 'app.main', name: 'app', kind: 'app', prefix: '', include_prefix: '' };
const usersRouter: RouterLink = { module: 'app.routers.users', name: 'router', kind: 'router', prefix: '/users', include_prefix: '' };

function route(method: string, path: string, handler: string, uri: string, lines: [number, number], routers?: RouterLink[]): RouteRecord {
    const [start, end] = lines;
    return {
        method, path, handler, uri, module: uri === MAIN ? 'app.main' : 'app.routers.users',
        range: { start: { line: start + 1, character: 4 }, end: { line: start + 1, character: 4 + handler.length } },
        lines: { start, end },
        routers,
        mounted: routers === undefined ? undefined : routers.length > 0,
    };
}

const table: RouteRecord[] = [
    route('GET', '/', 'root', MAIN, [24, 26], [app]),
    route('POST', '/users/', 'create_user', USERS, [23, 27], [app, usersRouter]),
    route('GET', '/users/{user_id}', 'read_user', USERS, [40, 45], [app, usersRouter]),
];

const noFindings = (): FindingMark[] | undefined => undefined;
const label = (uri: string): string => uri.replace('file:///shop/', '');

test('routes are grouped by the router that declares them, app routes first, in the order the server sent', () => {
    const groups = groupRoutes(table, noFindings, label);
    assert.deepEqual(groups.map((group) => [group.label, group.description]), [
        ['app.main:app', ''],
        ['app.routers.users:router', '/users'],
    ]);
    assert.deepEqual(groups[1].routes.map((node) => node.label), ['POST /users/', 'GET /users/{user_id}']);
    assert.equal(groups[1].tooltip, 'app.main:app > app.routers.users:router');
    assert.equal(groups[1].routes[1].description, 'read_user');
});

test('the mount prefix joins each link prefix and the include prefix below it', () => {
    const api: RouterLink = { module: 'app.api', name: 'api_router', kind: 'router', prefix: '', include_prefix: '/v1' };
    const mountedApp: RouterLink = { ...app, include_prefix: '/api' };
    assert.equal(mountPrefix([mountedApp, api, usersRouter]), '/api/v1/users');
    assert.equal(mountPrefix([]), '');
});

test('findings are those starting on the route lines, from decorator to last body line', () => {
    const marks: FindingMark[] = [
        { line: 22, code: 'FAP205' }, // the route before
        { line: 23, code: 'FAP201' }, // its decorator
        { line: 27, code: 'FAP209' }, // its last line
        { line: 28, code: 'FAP101' }, // after it
    ];
    const findingsOf = (uri: string) => (uri === USERS ? marks : undefined);
    assert.deepEqual(findingsOn(table[1], findingsOf), ['FAP201', 'FAP209']);
    assert.equal(findingsOn(table[0], findingsOf), undefined, 'a file the editor has not checked has no count');
    assert.equal(findingsOn({ ...table[1], lines: undefined }, findingsOf), undefined, 'no lines: no count');
    assert.deepEqual(findingsOn(table[2], findingsOf), []);
});

test('counts show on the routes and add up on their router; the icon data stays per route', () => {
    const findingsOf = (uri: string): FindingMark[] | undefined =>
        uri === USERS ? [{ line: 23, code: 'FAP201' }, { line: 41, code: 'FAP205' }, { line: 42, code: 'FAP212' }] : undefined;
    const [main, users] = groupRoutes(table, findingsOf, label);
    assert.equal(main.description, '', 'unknown counts add nothing');
    assert.equal(users.description, '/users · 3 findings');
    assert.deepEqual(users.routes.map((node) => node.description), ['create_user · 1 finding', 'read_user · 2 findings']);
    assert.match(users.routes[1].tooltip, /findings: FAP205, FAP212/);
    assert.match(main.routes[0].tooltip, /findings: open the file to check it/);
});

test('a checked file without findings says none and shows no count', () => {
    const [, users] = groupRoutes(table, (uri) => (uri === USERS ? [] : undefined), label);
    assert.equal(users.description, '/users');
    assert.equal(users.routes[0].description, 'create_user');
    assert.match(users.routes[0].tooltip, /findings: none/);
});

test('routes no app includes come last, in a group that says so', () => {
    const loose = route('GET', '/orphans', 'orphans', USERS, [50, 52], [usersRouter]);
    loose.mounted = false;
    const chainless = route('GET', '/lost', 'lost', USERS, [60, 62], []);
    const groups = groupRoutes([loose, chainless, ...table], noFindings, label);
    assert.deepEqual(groups.map((group) => `${group.label} [${group.description}]`), [
        'app.main:app []',
        'app.routers.users:router [/users]',
        '(not included in any app) []',
        'app.routers.users:router [not included in any app]',
    ]);
});

test('ids are unique and stable, even for a route listed twice on the same chain', () => {
    const twice = [...table, table[2]];
    const first = groupRoutes(twice, noFindings, label);
    const ids = first.flatMap((group) => [group.id, ...group.routes.map((node) => node.id)]);
    assert.equal(new Set(ids).size, ids.length);
    const again = groupRoutes(twice, (uri) => (uri === USERS ? [{ line: 23, code: 'FAP201' }] : undefined), label);
    assert.deepEqual(again.flatMap((group) => [group.id, ...group.routes.map((node) => node.id)]), ids);
});

test('route symbols of a document become records grouped by file; other symbols are skipped', () => {
    const whole = { start: { line: 13, character: 0 }, end: { line: 15, character: 40 } };
    const name = { start: { line: 14, character: 10 }, end: { line: 14, character: 19 } };
    const routes = routesFromSymbols(USERS, [
        { name: 'GET /users/{user_id}', detail: 'read_user', range: whole, selectionRange: name },
        { name: 'helper', detail: '', range: whole, selectionRange: name },
        { name: 'POST /users/', containerName: 'create_user', location: { uri: USERS, range: name } },
    ]);
    assert.deepEqual(routes.map((r) => [r.method, r.path, r.handler, r.lines]), [
        ['GET', '/users/{user_id}', 'read_user', { start: 13, end: 15 }],
        ['POST', '/users/', 'create_user', undefined],
    ]);
    assert.deepEqual(routes[0].range, name);
    const [group] = groupRoutes(routes, noFindings, label);
    assert.deepEqual([group.label, group.description], ['app/routers/users.py', 'open file']);
    assert.deepEqual(routesFromSymbols(USERS, null), []);
});
