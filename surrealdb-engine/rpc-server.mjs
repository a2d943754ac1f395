// SurrealDB 3's HTTP RPC served by the embedded engine of @surrealdb/node (see README.md).
// server.mjs starts this file in a child process so that it can filter the engine's stderr.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// Stderr (fd 2) is a pipe to server.mjs and must stay blocking. Node's own process.stderr switches a pipe to
// non-blocking mode, and Node creates it on the first use of console (even console.log), the first warning or an
// uncaught-exception report. The engine's debug dumps then fail with EAGAIN whenever the pipe is full, and Rust
// aborts the process on a failed write to stderr (SIGABRT, its panic message lost the same way). So every stderr
// write from JavaScript goes through this synchronous writer instead: it waits while server.mjs catches up, like
// the engine's own writes.
Object.defineProperty(process, 'stderr', {
  configurable: true,
  enumerable: true,
  value: new Writable({
    write(chunk, encoding, done) {
      try {
        for (let written = 0; written < chunk.length;) written += writeSync(2, chunk, written);
      } catch {
        // server.mjs is gone (EPIPE): nobody reads these lines any more, and this process is stopping.
      }
      done();
    },
  }),
});

const PROGRAM = 'polystore-surrealdb';
const USAGE = `usage: node server.mjs [--bind host:port] [--user name] [--pass password] [--path dir]
  [--tls-cert file.pem --tls-key file.pem] [--exit-on-stdin-close]`;
const MAX_RPC_BODY_BYTES = 4 * 1024 * 1024;
const MAX_IMPORT_BODY_BYTES = 1024 * 1024 * 1024;

/** Methods that run queries: the server refuses them to callers without credentials. */
const QUERY_METHODS = new Set([
  'query', 'select', 'insert', 'insert_relation', 'create', 'upsert', 'update', 'merge', 'patch',
  'delete', 'relate', 'run', 'live', 'kill', 'info', 'graphql',
]);
/** The server's HTTP RPC answers these with "Method not found": a transaction cannot span requests. */
const TRANSACTION_METHODS = new Set(['begin', 'commit', 'cancel']);
/** Named sessions live across requests; this program gives every request a fresh session instead. */
const SESSION_METHODS = new Set(['attach', 'detach', 'sessions']);

// ---------------------------------------------------------------------------------------------
// CBOR: just enough to read a copy of the request envelope and to talk to the engine.
// ---------------------------------------------------------------------------------------------

class Tagged {
  constructor(tag, value) {
    this.tag = tag;
    this.value = value;
  }
}

/** SurrealDB's NONE. */
const NONE = new Tagged(6, null);
const BREAK = Symbol('break');
const INDEFINITE = -1;

function decodeCbor(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;

  const take = (length) => {
    if (offset + length > bytes.length) throw new Error('truncated CBOR');
    offset += length;
    return offset - length;
  };
  const argument = (info) => {
    if (info < 24) return info;
    switch (info) {
      case 24: return view.getUint8(take(1));
      case 25: return view.getUint16(take(2));
      case 26: return view.getUint32(take(4));
      case 27: {
        const value = view.getBigUint64(take(8));
        return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
      }
      case 31: return INDEFINITE;
      default: throw new Error(`invalid CBOR additional information ${info}`);
    }
  };
  const itemsUntilBreak = () => {
    const items = [];
    for (let item = next(); item !== BREAK; item = next()) items.push(item);
    return items;
  };
  const simple = (info) => {
    switch (info) {
      case 20: return false;
      case 21: return true;
      case 22: return null;
      case 23: return undefined;
      case 25: return halfFloat(view.getUint16(take(2)));
      case 26: return view.getFloat32(take(4));
      case 27: return view.getFloat64(take(8));
      case 31: return BREAK;
      default: throw new Error(`unsupported CBOR simple value ${info}`);
    }
  };
  const next = () => {
    const initial = bytes[take(1)];
    const major = initial >> 5;
    const info = initial & 31;
    if (major === 7) return simple(info);
    const length = argument(info);
    if (length === INDEFINITE && (major < 2 || major === 6)) throw new Error('invalid indefinite CBOR item');
    switch (major) {
      case 0: return length;
      case 1: return typeof length === 'bigint' ? -1n - length : -1 - length;
      case 2:
        return length === INDEFINITE ? Buffer.concat(itemsUntilBreak()) : bytes.subarray(take(length), offset);
      case 3:
        return length === INDEFINITE
          ? itemsUntilBreak().join('')
          : Buffer.from(bytes.buffer, bytes.byteOffset + take(length), length).toString('utf8');
      case 4:
        return length === INDEFINITE ? itemsUntilBreak() : Array.from({ length }, next);
      case 5: {
        const keysAndValues = length === INDEFINITE ? itemsUntilBreak() : Array.from({ length: 2 * length }, next);
        const object = Object.create(null);
        for (let i = 0; i < keysAndValues.length; i += 2) object[keysAndValues[i]] = keysAndValues[i + 1];
        return object;
      }
      default:
        return new Tagged(length, next());
    }
  };

  const value = next();
  if (offset !== bytes.length) throw new Error('trailing bytes after the CBOR item');
  return value;
}

function halfFloat(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

function cborHead(major, length) {
  if (length < 24) return Buffer.of((major << 5) | length);
  if (length < 0x100) return Buffer.of((major << 5) | 24, length);
  if (length < 0x10000) return Buffer.of((major << 5) | 25, length >> 8, length & 0xff);
  const head = Buffer.alloc(5);
  head[0] = (major << 5) | 26;
  head.writeUInt32BE(length, 1);
  return head;
}

function encodeCbor(value) {
  const parts = [];
  const write = (item) => {
    if (item === null) parts.push(Buffer.of(0xf6));
    else if (item === undefined) write(NONE);
    else if (typeof item === 'boolean') parts.push(Buffer.of(item ? 0xf5 : 0xf4));
    else if (Number.isSafeInteger(item)) parts.push(item >= 0 ? cborHead(0, item) : cborHead(1, -1 - item));
    else if (typeof item === 'number') {
      const float = Buffer.alloc(9);
      float[0] = 0xfb;
      float.writeDoubleBE(item, 1);
      parts.push(float);
    } else if (typeof item === 'string') {
      const utf8 = Buffer.from(item, 'utf8');
      parts.push(cborHead(3, utf8.length), utf8);
    } else if (item instanceof Uint8Array) parts.push(cborHead(2, item.length), item);
    else if (Array.isArray(item)) {
      parts.push(cborHead(4, item.length));
      item.forEach(write);
    } else if (item instanceof Tagged) {
      parts.push(cborHead(6, item.tag));
      write(item.value);
    } else {
      const entries = Object.entries(item);
      parts.push(cborHead(5, entries.length));
      for (const [key, entryValue] of entries) {
        write(key);
        write(entryValue);
      }
    }
  };
  write(value);
  return Buffer.concat(parts);
}

/** The request bytes with a `session` entry added to the envelope map; every other byte stays as sent. */
function withSessionEntry(request, session) {
  const entry = Buffer.concat([encodeCbor('session'), encodeCbor(session)]);
  if (request[0] === 0xbf) {
    // An indefinite-length map ends with a break byte: the entry goes right before it.
    return Buffer.concat([request.subarray(0, -1), entry, request.subarray(-1)]);
  }
  const info = request[0] & 31;
  const headLength = info < 24 ? 1 : 1 + 2 ** (info - 24);
  const entries = info < 24 ? info : Number(info === 27 ? request.readBigUInt64BE(1) : request.readUIntBE(1, headLength - 1));
  return Buffer.concat([cborHead(5, entries + 1), request.subarray(headLength), entry]);
}

// ---------------------------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------------------------

/** The native binding of @surrealdb/node: its JavaScript wrapper re-encodes requests, the binding takes RPC bytes as they are. */
function loadEngineBinding() {
  const require = createRequire(import.meta.url);
  const programDirectory = path.dirname(fileURLToPath(import.meta.url));
  const bindingDirectory = path.join(programDirectory, 'node_modules', '@surrealdb', 'node', 'dist');
  if (!existsSync(bindingDirectory)) fail(`the engine is not installed: run "npm ci" in ${programDirectory}`);
  const abis = { linux: ['-gnu', '-musl'], win32: ['-msvc'] }[process.platform] ?? [''];
  const failures = [];
  for (const abi of abis) {
    const file = path.join(bindingDirectory, `surrealdb-node.${process.platform}-${process.arch}${abi}.node`);
    try {
      return require(file);
    } catch (error) {
      failures.push(`  ${error.message.split('\n')[0]}`);
    }
  }
  fail(`cannot load the engine for ${process.platform}-${process.arch}:\n${failures.join('\n')}`);
}

class RpcError extends Error {}

const ERROR_RESPONSE_START = Buffer.concat([cborHead(5, 1), encodeCbor('error')]);
const RESULT_RESPONSE_START = Buffer.concat([cborHead(5, 1), encodeCbor('result')]);

class Engine {
  #native;

  constructor(native) {
    this.#native = native;
  }

  /**
   * Runs RPC request bytes and returns the response bytes as the server sends them over HTTP: the engine answers
   * with the bare result or with {error}, the server with {result} or {error}.
   */
  async execute(request) {
    const response = Buffer.from(await this.#native.execute(request));
    // Like the SDK, take a map whose only key is "error" for an error.
    if (response.subarray(0, ERROR_RESPONSE_START.length).equals(ERROR_RESPONSE_START)) return response;
    return Buffer.concat([RESULT_RESPONSE_START, response]);
  }

  async call(request) {
    const response = decodeCbor(await this.execute(encodeCbor(request)));
    if (response.error) throw new RpcError(response.error.message);
    return response.result;
  }

  /** Runs SurrealQL in the engine's default session, which only this program uses; fails on a failed statement. */
  async query(sql, variables = {}) {
    const statements = await this.call({ method: 'query', params: [sql, variables] });
    const failed = statements.find((statement) => statement.status !== 'OK');
    if (failed) throw new Error(`${sql}: ${failed.result}`);
    return statements.map((statement) => statement.result);
  }

  /** The engine's own SurrealQL export of one database, as the server's `GET /export` gives it. */
  async exportDatabase(namespace, database) {
    await this.call({ method: 'use', params: [namespace, database] });
    return this.#native.export(encodeCbor({}));
  }

  /** Runs a SurrealQL script (an export) in one database, as the server's `POST /import` does. */
  async importIntoDatabase(namespace, database, sql) {
    await this.call({ method: 'use', params: [namespace, database] });
    await this.#native.import(sql);
  }

  async inNewSession(work) {
    const session = new Tagged(37, Buffer.from(randomUUID().replaceAll('-', ''), 'hex'));
    await this.call({ method: 'attach', session });
    try {
      return await work(session);
    } finally {
      await this.call({ method: 'detach', session });
    }
  }

  async succeeds(request) {
    try {
      await this.call(request);
      return true;
    } catch (error) {
      if (error instanceof RpcError) return false;
      throw error;
    }
  }

  close() {
    this.#native.free();
  }
}

const identifier = (name) => `\`${name.replace(/[\\`]/g, '\\$&')}\``;

/** Like the server: the root user from the options is created only while no root user exists. */
async function createInitialRootUser(engine, user, pass) {
  const [root] = await engine.query('INFO FOR ROOT');
  if (Object.keys(root.users).length === 0) {
    // SurrealQL string escapes are JSON's.
    await engine.query(`DEFINE USER ${identifier(user)} ON ROOT PASSWORD ${JSON.stringify(pass)} ROLES OWNER`);
    return;
  }
  const signsIn = await engine.inNewSession((session) =>
    engine.succeeds({ method: 'signin', session, params: [{ user, pass }] }));
  if (!signsIn) {
    console.error(`${PROGRAM}: root users already exist in this data and '${user}' cannot sign in with the given password; --user and --pass only create the first root user`);
  }
}

// ---------------------------------------------------------------------------------------------
// RPC requests
// ---------------------------------------------------------------------------------------------

function rpcErrorResponse(error) {
  return encodeCbor({ error: { ...error, cause: NONE } });
}

const ANONYMOUS_ACCESS_DENIED = rpcErrorResponse({
  code: -32002,
  kind: 'NotAllowed',
  message: 'Anonymous access not allowed: Not enough permissions to perform this action',
  details: { kind: 'Auth', details: { kind: 'NotAllowed', details: { actor: 'anonymous', action: 'process', resource: 'query' } } },
});

const NAMED_SESSIONS_UNSUPPORTED = rpcErrorResponse({
  code: -32602,
  kind: 'NotAllowed',
  message: `${PROGRAM} runs every HTTP request in a fresh session: named sessions (the session field, attach, detach, sessions) are not supported`,
});

const methodNotFound = (method) => rpcErrorResponse({
  code: -32601,
  kind: 'NotFound',
  message: 'Method not found',
  details: { kind: 'Method', details: { name: method } },
});

/** An answer with an HTTP status instead of an RPC response. */
class Refusal {
  constructor(status, message) {
    this.status = status;
    this.message = message;
  }
}

const UNPARSABLE = new Refusal(400, 'The request body is not a CBOR-encoded RPC request object');
const UNAUTHORIZED = new Refusal(401, 'There was a problem with authentication');

/** A request whose text says "remove" may remove a namespace or database. */
const MAY_REMOVE = /remove/i;

/** Lets requests run side by side, except a task that must run while no request runs. */
class Gate {
  #running = 0;
  #closed = null;
  #drained = null;

  async shared(work) {
    while (this.#closed) await this.#closed;
    this.#running++;
    try {
      return await work();
    } finally {
      if (--this.#running === 0) this.#drained?.();
    }
  }

  async alone(work) {
    while (this.#closed) await this.#closed;
    let reopen;
    this.#closed = new Promise((resolve) => { reopen = resolve; });
    try {
      if (this.#running > 0) await new Promise((resolve) => { this.#drained = resolve; });
      return await work();
    } finally {
      this.#drained = null;
      this.#closed = null;
      reopen();
    }
  }
}

/**
 * Signed-in sessions kept for the next request with the same credentials, namespace and database. A fresh session
 * per request (attach, authenticate, use, then detach) took 2.3 ms where the query alone took 0.5 ms. A session is
 * kept only after a query: a query's LET and USE end with it, so the session is as it was; the methods that would
 * change it (use, let, signin ...) get a fresh one. A kept session serves for a minute at most, so that a removed
 * user or an expired token takes effect as on the server within that time.
 */
class SessionPool {
  static MAX_AGE_MS = 60_000;
  static MAX_IDLE_PER_KEY = 32;

  #engine;
  /** Idle sessions by key, each with when it signed in. */
  #idle = new Map();
  /** Raised by clear(): sessions handed out before then are not taken back. */
  #generation = 0;

  constructor(engine) {
    this.#engine = engine;
    setInterval(() => this.#detachExpired(), SessionPool.MAX_AGE_MS).unref();
  }

  /** A kept session for the key, or null. */
  take(key) {
    const idle = this.#idle.get(key);
    while (idle?.length) {
      const kept = idle.pop();
      if (this.#fresh(kept)) return kept;
      this.#detach(kept);
    }
    return null;
  }

  /** A new session, for the pool once its request is done; it has no namespace and database selected yet. */
  created(session) {
    return { session, signedInAt: Date.now(), generation: this.#generation, selected: false };
  }

  giveBack(key, kept) {
    const idle = this.#idle.get(key) ?? [];
    if (!this.#fresh(kept) || idle.length >= SessionPool.MAX_IDLE_PER_KEY) {
      this.#detach(kept);
      return;
    }
    idle.push(kept);
    this.#idle.set(key, idle);
  }

  /** Detaches every idle session; those in use are detached when given back. */
  clear() {
    this.#generation++;
    for (const idle of this.#idle.values()) idle.forEach((kept) => this.#detach(kept));
    this.#idle.clear();
  }

  #fresh(kept) {
    return kept.generation === this.#generation && Date.now() - kept.signedInAt < SessionPool.MAX_AGE_MS;
  }

  #detach(kept) {
    this.#engine.call({ method: 'detach', session: kept.session }).catch(() => {});
  }

  #detachExpired() {
    for (const [key, idle] of this.#idle) {
      const fresh = [];
      for (const kept of idle) {
        if (this.#fresh(kept)) fresh.push(kept);
        else this.#detach(kept);
      }
      if (fresh.length) this.#idle.set(key, fresh);
      else this.#idle.delete(key);
    }
  }
}

/** A query that registers a live query ties it to its session: that session is not kept. */
const LIVE = /\blive\b/i;

class Rpc {
  #engine;
  #gate = new Gate();
  #sessions;
  /** Namespace and database pairs seen to exist, which spares most requests two catalog look-ups. */
  #existing = new Set();

  constructor(engine) {
    this.#engine = engine;
    this.#sessions = new SessionPool(engine);
  }

  /**
   * Answers one request like the server's HTTP RPC, in a session with the credentials, namespace and database from
   * the headers (a kept one for a query, see SessionPool). Returns the CBOR response, or a Refusal.
   */
  async answer(request, headers) {
    let envelope;
    try {
      envelope = decodeCbor(request);
    } catch {
      return UNPARSABLE;
    }
    if (request[0] >> 5 !== 5) return UNPARSABLE;

    const signin = signinFrom(headers);
    if (!signin && QUERY_METHODS.has(envelope.method)) return ANONYMOUS_ACCESS_DENIED;
    if (TRANSACTION_METHODS.has(envelope.method)) return methodNotFound(envelope.method);
    if (SESSION_METHODS.has(envelope.method) || 'session' in envelope) return NAMED_SESSIONS_UNSUPPORTED;

    const namespace = headers['surreal-ns'] || undefined;
    const database = (namespace && headers['surreal-db']) || undefined;
    const text = request.toString('latin1');
    if (signin && namespace && database && envelope.method === 'query' && !LIVE.test(text)
        && (await this.#exists(namespace, database))) {
      return this.#answerInKeptSession(request, text, signin, namespace, database,
        JSON.stringify([headers.authorization, headers['surreal-auth-ns'], headers['surreal-auth-db'], namespace, database]));
    }
    return this.#engine.inNewSession(async (session) => {
      if (signin && !(await this.#engine.succeeds(signin(session)))) return UNAUTHORIZED;
      const exists = !namespace || (await this.#exists(namespace, database));
      if (!exists) await this.#gate.alone(() => this.#selectWithoutCreating(session, namespace, database));
      return this.#gate.shared(async () => {
        if (namespace && exists) await this.#use(session, namespace, database);
        const response = await this.#engine.execute(withSessionEntry(request, session));
        if (MAY_REMOVE.test(text)) this.#forgetExisting();
        return response;
      });
    });
  }

  async #answerInKeptSession(request, text, signin, namespace, database, key) {
    let kept = this.#sessions.take(key);
    if (!kept) {
      const session = new Tagged(37, Buffer.from(randomUUID().replaceAll('-', ''), 'hex'));
      await this.#engine.call({ method: 'attach', session });
      kept = this.#sessions.created(session);
      if (!(await this.#engine.succeeds(signin(session)))) {
        await this.#engine.call({ method: 'detach', session });
        return UNAUTHORIZED;
      }
    }
    let keep = false;
    try {
      return await this.#gate.shared(async () => {
        if (!kept.selected) await this.#use(kept.session, namespace, database);
        kept.selected = true;
        const response = await this.#engine.execute(withSessionEntry(request, kept.session));
        if (MAY_REMOVE.test(text)) this.#forgetExisting();
        keep = true;
        return response;
      });
    } finally {
      if (keep) this.#sessions.giveBack(key, kept);
      else this.#engine.call({ method: 'detach', session: kept.session }).catch(() => {});
    }
  }

  /** After a request that may have removed a namespace or database: neither it nor sessions using it are known. */
  #forgetExisting() {
    this.#existing.clear();
    this.#sessions.clear();
  }

  /**
   * The server's `GET /export` and `POST /import` for a root user: the engine's own export of the database named by
   * the headers, or a script (an export) run in it. Both run while no request runs, so an export is one consistent
   * point and an import is not interleaved with writes.
   */
  async transfer(headers, work) {
    const signin = signinFrom(headers);
    if (!signin) return UNAUTHORIZED;
    const root = await this.#engine.inNewSession(async (session) => (await this.#engine.succeeds(signin(session)))
      && (await this.#engine.succeeds({ method: 'query', session, params: ['INFO FOR ROOT'] })));
    if (!root) return UNAUTHORIZED;
    const namespace = headers['surreal-ns'];
    const database = headers['surreal-db'];
    if (!namespace || !database) return new Refusal(400, 'Export and import need the Surreal-NS and Surreal-DB headers');
    return this.#gate.alone(async () => {
      if (await this.#missingLevel(namespace, database)) return new Refusal(404, `No database ${namespace}/${database}`);
      return work(this.#engine, namespace, database);
    });
  }

  async healthy() {
    try {
      await this.#engine.query('INFO FOR ROOT');
      return true;
    } catch {
      return false;
    }
  }

  #use(session, namespace, database) {
    return this.#engine.call({ method: 'use', session, params: [namespace, database ?? NONE] });
  }

  async #exists(namespace, database) {
    const pair = JSON.stringify([namespace, database]);
    if (this.#existing.has(pair)) return true;
    if (await this.#missingLevel(namespace, database)) return false;
    this.#existing.add(pair);
    return true;
  }

  /** 'namespace' or 'database' when that one does not exist, else null. */
  async #missingLevel(namespace, database) {
    const [root] = await this.#engine.query('INFO FOR ROOT');
    if (!Object.hasOwn(root.namespaces, namespace)) return 'namespace';
    if (database === undefined) return null;
    // In a session of its own: the default session's namespace and database belong to export and import.
    const info = await this.#engine.inNewSession(async (session) => {
      const statements = await this.#engine.call({ method: 'query', session, params: ['USE NS $namespace; INFO FOR NS', { namespace }] });
      return statements[1].result;
    });
    return Object.hasOwn(info.databases, database) ? null : 'database';
  }

  /**
   * The server's headers select a namespace and database without creating them, but the engine's `use` creates
   * whichever is missing. So, with no request running, `use` points the session at them and what it created is
   * removed again: the session then names a namespace or database that does not exist, as on the server.
   */
  async #selectWithoutCreating(session, namespace, database) {
    const missing = await this.#missingLevel(namespace, database);
    await this.#use(session, namespace, database);
    if (missing === 'namespace') {
      await this.#engine.query(`REMOVE NAMESPACE ${identifier(namespace)}`);
    } else if (missing === 'database') {
      await this.#engine.query(`USE NS $namespace; REMOVE DATABASE ${identifier(database)}`, { namespace });
    }
  }
}

/** The request that signs a session in with the Authorization header, or null for a request without credentials. */
function signinFrom(headers) {
  const [scheme, value = ''] = (headers.authorization ?? '').trim().split(/\s+(.*)/);
  switch (scheme.toLowerCase()) {
    case 'basic': {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const params = { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
      if (headers['surreal-auth-ns']) params.ns = headers['surreal-auth-ns'];
      if (headers['surreal-auth-db']) params.db = headers['surreal-auth-db'];
      return (session) => ({ method: 'signin', session, params: [params] });
    }
    case 'bearer':
      return (session) => ({ method: 'authenticate', session, params: [value] });
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

/** The media type of a Content-Type or Accept header, without parameters. */
const mediaType = (header) => header?.split(';')[0].trim().toLowerCase();

function reply(response, status, body = '', contentType = 'text/plain; charset=utf-8') {
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

/** The request body, or null when it is over the limit (the rest is then read and dropped, not kept). */
function readBody(request, limit) {
  return new Promise((resolve, reject) => {
    request.on('error', reject);
    const tooLarge = () => {
      request.removeAllListeners('data');
      request.resume();
      resolve(null);
    };
    if (Number(request.headers['content-length'] ?? 0) > limit) return tooLarge();
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) tooLarge();
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks, size)));
  });
}

async function serveRpc(rpc, request, response) {
  const contentType = mediaType(request.headers['content-type']);
  if (!contentType) return reply(response, 400, 'The request has no Content-Type header');
  if (contentType === 'application/json' || contentType === 'application/vnd.surrealdb.flatbuffers') {
    return reply(response, 415, `${PROGRAM} supports only application/cbor on /rpc (the SurrealDB server also takes ${contentType})`);
  }
  if (contentType !== 'application/cbor') return reply(response, 415, 'The specified media type is unsupported');
  // The server answers in the request's format and refuses an Accept header naming another one (*/* counts as JSON).
  const accept = mediaType(request.headers.accept);
  if (accept && accept !== 'application/cbor') return reply(response, 415, 'The Accept header must name application/cbor, the format of the request');

  const body = await readBody(request, MAX_RPC_BODY_BYTES);
  if (body === null) return reply(response, 413, `The request body is over ${MAX_RPC_BODY_BYTES} bytes`);
  const answer = await rpc.answer(body, request.headers);
  if (answer instanceof Refusal) return reply(response, answer.status, answer.message);
  reply(response, 200, answer, 'application/cbor');
}

async function serveExport(rpc, request, response) {
  const answer = await rpc.transfer(request.headers, (engine, namespace, database) => engine.exportDatabase(namespace, database));
  if (answer instanceof Refusal) return reply(response, answer.status, answer.message);
  reply(response, 200, answer, 'application/octet-stream');
}

async function serveImport(rpc, request, response) {
  const body = await readBody(request, MAX_IMPORT_BODY_BYTES);
  if (body === null) return reply(response, 413, `The import is over ${MAX_IMPORT_BODY_BYTES} bytes`);
  const answer = await rpc.transfer(request.headers, async (engine, namespace, database) => {
    try {
      await engine.importIntoDatabase(namespace, database, body.toString('utf8'));
      return null;
    } catch (error) {
      return new Refusal(400, `The import failed: ${error.message}`);
    }
  });
  if (answer instanceof Refusal) return reply(response, answer.status, answer.message);
  reply(response, 200);
}

/** HTTPS with the given certificate chain and key (PEM), else plain HTTP. */
function createHttpServer(rpc, version, tls) {
  const handler = async (request, response) => {
    const route = `${request.method} ${new URL(request.url, 'http://localhost').pathname}`;
    try {
      switch (route) {
        case 'POST /rpc': return await serveRpc(rpc, request, response);
        case 'GET /rpc': return reply(response, 400, `${PROGRAM} serves RPC over HTTP POST only, not over WebSocket`);
        case 'GET /health': return reply(response, (await rpc.healthy()) ? 200 : 500);
        case 'GET /version': return reply(response, 200, version);
        case 'GET /export': return await serveExport(rpc, request, response);
        case 'POST /import': return await serveImport(rpc, request, response);
        default: return reply(response, 404, 'Not found');
      }
    } catch (error) {
      console.error(`${PROGRAM}: ${route} failed:`, error);
      if (!response.headersSent) reply(response, 500, 'The request failed inside the engine');
    }
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  // Keep idle connections open: a client that reuses one must not race a server-side idle timeout.
  server.keepAliveTimeout = 0;
  return server;
}

// ---------------------------------------------------------------------------------------------
// Start and stop
// ---------------------------------------------------------------------------------------------

function fail(message) {
  console.error(`${PROGRAM}: ${message}`);
  process.exit(1);
}

function parseOptions(args) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        bind: { type: 'string', default: '127.0.0.1:0' },
        user: { type: 'string', default: 'root' },
        pass: { type: 'string', default: 'root' },
        path: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'exit-on-stdin-close': { type: 'boolean' }, // handled by server.mjs
      },
    }));
  } catch (error) {
    fail(`${error.message}\n${USAGE}`);
  }
  const separator = values.bind.lastIndexOf(':');
  const host = values.bind.slice(0, separator).replace(/^\[(.*)\]$/, '$1');
  const port = Number(values.bind.slice(separator + 1));
  if (!host || !Number.isInteger(port) || port < 0 || port > 65535) fail(`--bind takes host:port, not ${values.bind}\n${USAGE}`);
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) fail(`--tls-cert and --tls-key go together\n${USAGE}`);
  return {
    host, port, user: values.user, pass: values.pass, dataPath: values.path && path.resolve(values.path),
    tls: values['tls-cert'] && { cert: readPem(values['tls-cert']), key: readPem(values['tls-key']) },
  };
}

function readPem(file) {
  try {
    return readFileSync(file);
  } catch (error) {
    return fail(`cannot read ${file}: ${error.message}`);
  }
}

/**
 * Data is kept in RocksDB, also without --path (then in a scratch directory, see main). The engine's SurrealKV and
 * memory stores lose concurrent updates of one record: of 2,400 transactions incrementing one counter from 12
 * clients, all committed, SurrealKV's counter ended 1 to 12 short; of 3,600 on two fields of one record, memory's
 * ended 8 to 45 short (RocksDB: never). A directory SurrealKV wrote before (it has a `vlog` and no RocksDB `CURRENT`)
 * still opens as SurrealKV, with a warning, so that no data is stranded.
 */
function storeUrl(dataPath) {
  if (existsSync(path.join(dataPath, 'vlog')) && !existsSync(path.join(dataPath, 'CURRENT'))) {
    console.error(`${PROGRAM}: ${dataPath} holds SurrealKV data, which loses concurrent updates of a record; `
      + 'export it and import it into a new directory (RocksDB) to be rid of that');
    return `surrealkv://${dataPath}`;
  }
  return `rocksdb://${dataPath}`;
}

async function openEngine(dataPath) {
  const { SurrealNodeEngine } = loadEngineBinding();
  try {
    return {
      engine: new Engine(await SurrealNodeEngine.connect(storeUrl(dataPath))),
      version: `surrealdb-${SurrealNodeEngine.version()}`,
    };
  } catch (error) {
    if (dataPath && /already locked|While lock file/i.test(error.message)) {
      fail(`cannot open ${dataPath}: another process holds it (its LOCK file is locked)`);
    }
    throw error;
  }
}

/** A directory for data that lives as long as this process: removed when it exits (not when it is killed). */
function scratchDirectory() {
  const directory = mkdtempSync(path.join(tmpdir(), 'polystore-surrealdb-'));
  process.on('exit', () => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const { engine, version } = await openEngine(options.dataPath ?? scratchDirectory());
  await createInitialRootUser(engine, options.user, options.pass);

  const server = createHttpServer(new Rpc(engine), version, options.tls);
  server.on('error', (error) => fail(`cannot listen on ${options.host}:${options.port}: ${error.message}`));
  server.listen(options.port, options.host, () => {
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    console.log(`${PROGRAM} listening on ${options.tls ? 'https' : 'http'}://${host}:${server.address().port}`);
  });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close(() => {
      engine.close();
      process.exit(0);
    });
    server.closeIdleConnections();
    // Requests still running get a moment to finish.
    setTimeout(() => server.closeAllConnections(), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // server.mjs is gone (even if killed hard): nothing would read stderr or stop this process any more.
  process.on('disconnect', stop);
}

await main();
