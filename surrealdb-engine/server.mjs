#!/usr/bin/env node
// A local SurrealDB 3 server: HTTP RPC on the embedded engine of @surrealdb/node (see README.md).
//
// The engine (core 3.0.2) still has Rust dbg! calls that dump about ten lines to the process's stderr for every
// transaction writing a change-fed table and every SHOW CHANGES. Native code writes them straight to file
// descriptor 2, out of JavaScript's reach, so this process runs the server (rpc-server.mjs) as a child and
// passes the child's stderr on without those dumps. The child keeps that pipe blocking (see the top of
// rpc-server.mjs): the engine's writes wait while this process reads, instead of failing and aborting the child.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// A dump starts with "[<file>.rs:<line>:<column>] <expression> = <value>"; a list or struct value goes on over
// more lines, up to its closing bracket alone at the start of a line.
const DUMP_START = /^\[[^\]\s]+\.rs:\d+:\d+\] .* = /;
const CLOSING_BRACKETS = { '[': ']', '{': '}', '(': ')' };

const server = spawn(process.execPath, [fileURLToPath(new URL('./rpc-server.mjs', import.meta.url)), ...process.argv.slice(2)], {
  // The IPC channel lets the server notice when this process is gone, even killed hard.
  stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
});

let dumpEnd = null;
createInterface({ input: server.stderr, crlfDelay: Infinity }).on('line', (line) => {
  if (dumpEnd !== null) {
    if (line === dumpEnd) dumpEnd = null;
  } else if (DUMP_START.test(line)) {
    dumpEnd = CLOSING_BRACKETS[line.at(-1)] ?? null;
  } else {
    process.stderr.write(`${line}\n`);
  }
});

const stop = () => server.kill('SIGTERM');
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (process.argv.includes('--exit-on-stdin-close')) {
  // Whoever started this process holds the other end of stdin: when it dies, stdin closes.
  process.stdin.on('close', stop);
  process.stdin.resume();
}

server.on('close', (code, signal) => {
  if (signal === 'SIGTERM') process.exit(0);
  // A crash by signal (SIGABRT after a Rust panic, SIGKILL from the OOM killer) prints nothing by itself.
  if (signal) process.stderr.write(`polystore-surrealdb: the server process was killed by ${signal}\n`);
  process.exit(code ?? 1);
});
