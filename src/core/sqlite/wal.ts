import type { ByteSource, ReadCounter } from './lazy-source';

export const WAL_HEADER_SIZE = 32;
const FRAME_HEADER_SIZE = 24;
const WAL_FORMAT_VERSION = 3007000;
/** Frames read per system call while scanning the WAL. */
const FRAMES_PER_READ = 64;

/** The committed content of a WAL file, as far as it was parsed. */
export interface WalIndex {
  /** The 32-byte WAL header the frames were checked against. */
  header: Uint8Array;
  pageSize: number;
  salt1: number;
  salt2: number;
  /** Page number → file offset of the page's newest committed image. */
  pages: Map<number, number>;
  /** Database size in pages, from the last commit frame; 0 when no frame is committed. */
  databasePages: number;
  commitFrames: number;
  /** File offset just past the last commit frame: later frames are not committed yet. */
  committedEnd: number;
  /** Running checksum at `committedEnd`, so a later scan can continue from there. */
  checksum: [number, number];
}

/**
 * Scans a WAL file of `walSize` bytes that starts with `header`, and returns
 * its committed frames, or undefined when the header is invalid, in which
 * case SQLite ignores the file too.
 *
 * Frames count only up to the last valid commit frame. A frame is valid when
 * its salts equal the header's and its checksum continues the running
 * checksum, the rules SQLite's own recovery applies. When `previous` has the
 * same header, its frames are unchanged: SQLite never rewrites a committed
 * frame until it restarts the WAL with new salts. The scan then continues
 * from `previous.committedEnd`.
 */
export function readWalIndex(
  source: ByteSource,
  header: Uint8Array,
  walSize: number,
  counter: ReadCounter,
  previous?: WalIndex,
): WalIndex | undefined {
  if (walSize < WAL_HEADER_SIZE || header.length < WAL_HEADER_SIZE) return undefined;

  const view = new DataView(header.buffer, header.byteOffset, WAL_HEADER_SIZE);
  const magic = view.getUint32(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return undefined;
  if (view.getUint32(4) !== WAL_FORMAT_VERSION) return undefined;
  const pageSize = view.getUint32(8);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return undefined;

  // The low bit of the magic selects the byte order of the checksum's 32-bit words.
  const bigEndian = (magic & 1) === 1;
  const headerChecksum = checksum(header.subarray(0, 24), bigEndian, [0, 0]);
  if (headerChecksum[0] !== view.getUint32(24) || headerChecksum[1] !== view.getUint32(28)) return undefined;

  const index: WalIndex = previous && sameBytes(previous.header, header) && walSize >= previous.committedEnd
    ? { ...previous, header, pages: new Map(previous.pages), checksum: [...previous.checksum] }
    : {
      header: header.slice(0, WAL_HEADER_SIZE),
      pageSize,
      salt1: view.getUint32(16),
      salt2: view.getUint32(20),
      pages: new Map(),
      databasePages: 0,
      commitFrames: 0,
      committedEnd: WAL_HEADER_SIZE,
      checksum: headerChecksum,
    };
  scanFrames(source, walSize, counter, index, bigEndian);

  return index;
}

function scanFrames(source: ByteSource, walSize: number, counter: ReadCounter, index: WalIndex, bigEndian: boolean): void {
  const frameSize = FRAME_HEADER_SIZE + index.pageSize;
  const pending = new Map<number, number>();
  let running = index.checksum;
  let offset = index.committedEnd;

  while (offset + frameSize <= walSize) {
    const frames = Math.min(FRAMES_PER_READ, Math.floor((walSize - offset) / frameSize));
    const batch = new Uint8Array(frames * frameSize);
    const count = source.read(batch, offset);
    counter.bytesRead += count;

    for (let i = 0; i < frames; i++) {
      const frame = batch.subarray(i * frameSize, (i + 1) * frameSize);
      if ((i + 1) * frameSize > count) return;

      const view = new DataView(frame.buffer, frame.byteOffset, FRAME_HEADER_SIZE);
      const page = view.getUint32(0);
      const databasePages = view.getUint32(4);
      if (page === 0) return;
      if (view.getUint32(8) !== index.salt1 || view.getUint32(12) !== index.salt2) return;

      running = checksum(frame.subarray(0, 8), bigEndian, running);
      running = checksum(frame.subarray(FRAME_HEADER_SIZE), bigEndian, running);
      if (running[0] !== view.getUint32(16) || running[1] !== view.getUint32(20)) return;

      const frameOffset = offset + i * frameSize;
      pending.set(page, frameOffset + FRAME_HEADER_SIZE);

      // A non-zero database size marks the last frame of a transaction.
      if (databasePages !== 0) {
        for (const [committedPage, pageOffset] of pending) index.pages.set(committedPage, pageOffset);
        pending.clear();
        index.databasePages = databasePages;
        index.commitFrames += 1;
        index.committedEnd = frameOffset + frameSize;
        index.checksum = running;
      }
    }

    offset += frames * frameSize;
  }
}

/** SQLite's WAL checksum: two running 32-bit sums over pairs of 32-bit words. */
function checksum(bytes: Uint8Array, bigEndian: boolean, seed: readonly [number, number]): [number, number] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const littleEndian = !bigEndian;
  let s1 = seed[0];
  let s2 = seed[1];

  for (let i = 0; i < bytes.length; i += 8) {
    s1 = (s1 + view.getUint32(i, littleEndian) + s2) >>> 0;
    s2 = (s2 + view.getUint32(i + 4, littleEndian) + s1) >>> 0;
  }

  return [s1, s2];
}

export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false;
  }

  return true;
}
