/**
 * Starts a throwaway PostgreSQL server from the machine's Debian packages
 * (`apt-get install postgresql`), for the tests of the PostgreSQL source.
 *
 * The server lives in a fresh temporary folder, listens on 127.0.0.1 only,
 * on a free port, with its unix socket inside that folder. PostgreSQL refuses
 * to run as root, so under root every server command runs as the `postgres`
 * system user through runuser, and the folder belongs to that user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  host: string;
  port: number;
  database: string;
  /** Owner of the database: creates tables and loads rows. */
  owner: { user: string; password: string };
  /** A role that may only read, the way a team member's account would be set up. */
  reader: { user: string; password: string };
  /** `postgresql://user:password@127.0.0.1:port/database`. */
  url(role: 'owner' | 'reader', options?: { password?: string; database?: string; query?: string }): string;
  /** The self-signed certificate the server presents for 127.0.0.1, when started with TLS. */
  caFile: string | undefined;
  /** The server log so far. */
  log(): string;
  stop(): Promise<void>;
}

/** Returns the bin folder of the newest installed PostgreSQL server, or undefined. */
export function findPostgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs.readdirSync(base)
    .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(base, versions[0], 'bin') : undefined;
}

/**
 * Starts the server. With `tls`, it also accepts TLS connections with a
 * self-signed certificate for 127.0.0.1 made by openssl; plain connections
 * still work.
 */
export async function startPostgres(options: { tls?: boolean } = {}): Promise<TestPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries are missing under /usr/lib/postgresql; install them with "apt-get install -y postgresql".');

  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const ownerPassword = crypto.randomBytes(12).toString('hex');
  const readerPassword = crypto.randomBytes(12).toString('hex');
  const passwordFile = path.join(dir, 'owner-password');
  fs.writeFileSync(passwordFile, `${ownerPassword}\n`, { mode: 0o600 });
  const certFile = path.join(dir, 'server.crt');
  const keyFile = path.join(dir, 'server.key');
  if (options.tls) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    fs.chmodSync(keyFile, 0o600);
  }
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    for (const file of [dir, passwordFile, ...(options.tls ? [certFile, keyFile] : [])]) fs.chownSync(file, uid, gid);
  }
  const tlsSettings = options.tls ? ` -c ssl=on -c ssl_cert_file=${certFile} -c ssl_key_file=${keyFile}` : '';

  const runServerCommand = (command: string, args: string[]): void => {
    const [file, fullArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args]] : [path.join(bin, command), args];
    const result = spawnSync(file, fullArgs, { encoding: 'utf8', cwd: dir, timeout: 60_000 });
    if (result.status !== 0) {
      const serverLog = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
      throw new Error(`${command} failed (exit ${String(result.status)}): ${result.stderr}${result.stdout}\n${serverLog}`);
    }
  };

  const owner = 'flowyml_owner';
  runServerCommand('initdb', [
    '-D', dataDir, '-U', owner, `--pwfile=${passwordFile}`, '--auth-host=scram-sha-256', '--auth-local=trust',
    '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions',
  ]);
  const port = await freePort();
  runServerCommand('pg_ctl', [
    '-D', dataDir, '-l', logFile, '-w', '-t', '60',
    '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off${tlsSettings}`,
    'start',
  ]);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try {
      runServerCommand('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  const database = 'flowyml';
  const reader = 'flowyml_reader';
  const url: TestPostgres['url'] = (role, options = {}) => {
    const user = role === 'owner' ? owner : reader;
    const password = options.password ?? (role === 'owner' ? ownerPassword : readerPassword);
    const query = options.query ? `?${options.query}` : '';
    return `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${options.database ?? database}${query}`;
  };

  try {
    const admin = new pg.Client({ connectionString: url('owner', { database: 'postgres' }) });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.query(`CREATE ROLE ${reader} LOGIN PASSWORD '${readerPassword}'`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    host: '127.0.0.1',
    port,
    database,
    owner: { user: owner, password: ownerPassword },
    reader: { user: reader, password: readerPassword },
    url,
    caFile: options.tls ? certFile : undefined,
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    stop,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
