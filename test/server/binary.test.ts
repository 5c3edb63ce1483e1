/**
 * The built `flowyml-assets-lsp` binary (dist/server.js) over real stdio and
 * node IPC: it finds its wasm files beside itself and returns a hover.
 * `npm run test:server` builds dist/ first.
 */
import assert from 'node:assert/strict';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  createProtocolConnection, HoverRequest, InitializedNotification, InitializeRequest, IPCMessageReader, IPCMessageWriter,
  StreamMessageReader, StreamMessageWriter, type MarkupContent, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { DidOpenTextDocumentNotification, ShutdownRequest, ExitNotification } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { REPO_ROOT, SMALL_FIXTURES } from '../helpers/paths';
import { positionOf, waitFor } from './harness';

const BINARY = path.join(REPO_ROOT, 'dist', 'server.js');
const ROOT = path.join(SMALL_FIXTURES, 'flowyml-1.7-basic');
const SKIP = fs.existsSync(BINARY) ? false : `${BINARY} is missing; run npm run build`;

const children: ChildProcess[] = [];

after(() => {
  for (const child of children) if (child.exitCode === null) child.kill();
});

async function hoverOverConnection(connection: ProtocolConnection): Promise<string> {
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: URI.file(ROOT).toString(),
    workspaceFolders: null,
    capabilities: {},
  });
  await connection.sendNotification(InitializedNotification.type, {});

  const file = path.join(ROOT, 'pipeline.py');
  const text = fs.readFileSync(file, 'utf8');
  const uri = URI.file(file).toString();
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });
  const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(text, 'name="iris_logreg"', { delta: 8 }) });

  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  return (hover?.contents as MarkupContent | undefined)?.value ?? '';
}

test('binary answers a hover over stdio', { skip: SKIP }, async () => {
  const child = spawn(process.execPath, [BINARY, '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));

  const text = await hoverOverConnection(connection);

  assert.equal(text.split('\n\n').slice(0, 2).join('\n\n'), '**Model** `iris_logreg`\n\nLatest version: **#3** (derived: no stored version) of 3');
  await waitFor('the server process to exit', async () => (child.exitCode !== null ? child.exitCode : undefined));
  assert.equal(child.exitCode, 0);
  connection.dispose();
});

test('binary answers a hover over node IPC', { skip: SKIP }, async () => {
  const child = fork(BINARY, ['--node-ipc'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));

  const text = await hoverOverConnection(connection);

  assert.equal(text.split('\n\n')[0], '**Model** `iris_logreg`');
  await waitFor('the server process to exit', async () => (child.exitCode !== null ? child.exitCode : undefined));
  connection.dispose();
});

test('binary without a transport prints usage and exits 2', { skip: SKIP }, async () => {
  const child = spawn(process.execPath, [BINARY], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });

  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

  assert.equal(code, 2);
  assert.match(stderr, /^flowyml-assets-lsp: no transport given\.\n\nUsage: flowyml-assets-lsp --stdio/);
});
