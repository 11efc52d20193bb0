/**
 * A single-producer, single-consumer ring of variable-length frames over a SharedArrayBuffer:
 * how an I/O worker hands parsed commands to the executor (request ring), and how the executor
 * hands reply bytes back (reply ring).
 *
 * Contract
 * - Exactly one thread produces and exactly one consumes. The two sides are separate classes
 *   (RingProducer, RingConsumer), each built on its own thread from the same buffer, so a
 *   thread cannot call the other side's methods by mistake.
 * - Frames are opaque byte strings of at most `maxFrame` bytes. A frame is written in two steps:
 *   `reserve(n)` returns an offset into `bytes` where n bytes may be written (or -1: the ring is
 *   full), `commit()` makes every reserved frame visible at once. Publishing once per batch (one
 *   socket read, one executor turn) costs one atomic store and at most one wake-up per batch.
 * - A full ring is a planned outcome: `reserve` returns -1 and the caller applies its rule
 *   (the worker pauses reading its sockets; the executor keeps replies in an overflow queue).
 *   Nothing is overwritten and nothing is dropped.
 * - Wake-ups only when the other side sleeps: the consumer raises SLEEPING before it waits and
 *   checks the ring once more after; the producer rings the consumer's *bell* (an Int32 in
 *   another SharedArrayBuffer: add 1, then Atomics.notify) only when it sees SLEEPING set. The
 *   bell is separate from the ring so one consumer can sleep on several rings at once (the
 *   executor, on every worker's request ring). See Bell below for the sleep protocol.
 *
 * Layout (Int32 words; head and tail 64 bytes apart so the two threads never share a cache line):
 *
 *   byte 0    ┌──────────────────────┐
 *             │ HEAD      (word 0)   │  consumer writes: bytes consumed, mod 2^32
 *   byte 64   ├──────────────────────┤
 *             │ TAIL      (word 16)  │  producer writes: bytes committed, mod 2^32
 *   byte 128  ├──────────────────────┤
 *             │ SLEEPING  (word 32)  │  consumer writes 1 before waiting, 0 when awake;
 *             │                      │  producer reads it, and rings the bell if 1
 *   byte 192  ├──────────────────────┤
 *             │ STATS   (words 48-51)│  producer writes: frames, full events, notifies, high water
 *             │ WAITS     (word 52)  │  consumer writes: times it went to sleep
 *             │ P_WAITING (word 53)  │  producer writes 1 while it waits for space; the consumer
 *             │                      │  reads it in release() and then notifies HEAD
 *   byte 256  ├──────────────────────┤
 *             │ data: capacity bytes │  frames: [u32 length][payload][pad to 4]
 *             │                      │  a length of WRAP means "continue at data offset 0"
 *             └──────────────────────┘
 *
 * Positions are free-running 32-bit counters; a frame never straddles the end of the data area
 * (when it would, the producer writes a WRAP marker and starts it at offset 0), so a consumer
 * always sees a frame as one contiguous slice. Capacity is a power of two.
 *
 * Memory order: the producer writes a frame's bytes with plain stores, then publishes TAIL with
 * Atomics.store; the consumer reads TAIL with Atomics.load before reading the bytes. JS Atomics
 * are sequentially consistent, so the bytes are visible once the new TAIL is. The same holds
 * for HEAD in the other direction (space freed only after the consumer is done with it).
 *
 * Imports nothing of ours.
 */

/**
 * Atomics.waitAsync that keeps the thread's event loop alive while it waits: a pending
 * waitAsync holds no libuv handle, so a thread with nothing else to do would otherwise exit (or
 * a main thread finish its top-level await) in the middle of the wait. A ref'd timer spanning
 * the wait is the handle.
 */
async function waitHeld(words: Int32Array, index: number, value: number, timeoutMs: number): Promise<void> {
  const r = Atomics.waitAsync(words, index, value, timeoutMs);
  if (!r.async) return;
  const hold = setTimeout(() => {}, Math.min(timeoutMs, 0x7fffffff));
  try {
    await r.value;
  } finally {
    clearTimeout(hold);
  }
}

const HEAD = 0;
const TAIL = 16;
const SLEEPING = 32;
const STAT_FRAMES = 48;
const STAT_FULL = 49;
const STAT_NOTIFIES = 50;
const STAT_HIGH_WATER = 51;
const STAT_WAITS = 52;
const PRODUCER_WAITING = 53;
const HEADER_BYTES = 256;
/** A frame length that means "the next frame starts at data offset 0". */
const WRAP = 0xffffffff;

export interface RingStats {
  frames: number;
  fullEvents: number;
  notifies: number;
  highWater: number;
  waits: number;
  used: number;
  capacity: number;
}

/** Allocates the shared memory for a ring of `capacity` data bytes (a power of two). */
export function createRing(capacity: number): SharedArrayBuffer {
  if (capacity < 1024 || (capacity & (capacity - 1)) !== 0) throw new Error(`ring capacity must be a power of two >= 1024, got ${capacity}`);
  return new SharedArrayBuffer(HEADER_BYTES + capacity);
}

abstract class RingSide {
  protected readonly words: Int32Array;
  readonly bytes: Buffer;
  readonly capacity: number;
  protected readonly mask: number;

  constructor(sab: SharedArrayBuffer) {
    this.words = new Int32Array(sab, 0, HEADER_BYTES / 4);
    this.capacity = sab.byteLength - HEADER_BYTES;
    this.mask = this.capacity - 1;
    this.bytes = Buffer.from(sab, HEADER_BYTES, this.capacity);
  }

  /** Bytes committed and not yet consumed. */
  used(): number {
    return (Atomics.load(this.words, TAIL) - Atomics.load(this.words, HEAD)) >>> 0;
  }

  stats(): RingStats {
    const w = this.words;
    return {
      frames: Atomics.load(w, STAT_FRAMES) >>> 0,
      fullEvents: Atomics.load(w, STAT_FULL) >>> 0,
      notifies: Atomics.load(w, STAT_NOTIFIES) >>> 0,
      highWater: Atomics.load(w, STAT_HIGH_WATER) >>> 0,
      waits: Atomics.load(w, STAT_WAITS) >>> 0,
      used: this.used(),
      capacity: this.capacity,
    };
  }
}

/** The producing side. Only one thread may hold a RingProducer for a given buffer. */
export class RingProducer extends RingSide {
  /** Position after the last reserved frame (committed or not). */
  private reserved: number;
  /** Where the length word of the frame being reserved goes (-1: none open). */
  private pendingLenAt = -1;
  private pendingFrames = 0;
  readonly maxFrame: number;
  private readonly bell: Int32Array;

  constructor(sab: SharedArrayBuffer, bell: Int32Array) {
    super(sab);
    this.bell = bell;
    this.reserved = Atomics.load(this.words, TAIL) >>> 0;
    this.maxFrame = this.capacity / 4;
  }

  /**
   * Reserves room for a frame of `n` payload bytes. Returns the offset in `bytes` where the
   * payload goes, or -1 when the ring has no room now (nothing is changed then). The frame
   * becomes visible to the consumer at the next commit(). Only one frame may be open: write its
   * payload before reserving the next.
   */
  reserve(n: number): number {
    if (n > this.maxFrame) throw new Error(`frame of ${n} bytes exceeds the ring's limit of ${this.maxFrame}`);
    const head = Atomics.load(this.words, HEAD) >>> 0;
    const size = 4 + ((n + 3) & ~3);
    let pos = this.reserved;
    let at = pos & this.mask;
    let wrapBytes = 0;
    if (at + size > this.capacity) wrapBytes = this.capacity - at; // skip to the start
    const need = wrapBytes + size;
    const free = this.capacity - ((pos - head) >>> 0);
    if (need > free) {
      Atomics.add(this.words, STAT_FULL, 1);
      return -1;
    }
    if (wrapBytes > 0) {
      if (wrapBytes >= 4) this.bytes.writeUInt32LE(WRAP, at);
      pos = (pos + wrapBytes) >>> 0;
      at = 0;
    }
    this.bytes.writeUInt32LE(n, at);
    this.pendingLenAt = at;
    this.reserved = (pos + size) >>> 0;
    this.pendingFrames++;
    return at + 4;
  }

  /** Shrinks the frame just reserved to `n` bytes (n ≤ what was reserved). */
  shrink(n: number): void {
    const at = this.pendingLenAt;
    const old = this.bytes.readUInt32LE(at);
    if (n > old) throw new Error('shrink cannot grow a frame');
    this.bytes.writeUInt32LE(n, at);
    this.reserved = (this.reserved - (((old + 3) & ~3) - ((n + 3) & ~3))) >>> 0;
  }

  /** Whether a frame of `n` bytes would fit now. */
  fits(n: number): boolean {
    const head = Atomics.load(this.words, HEAD) >>> 0;
    const size = 4 + ((n + 3) & ~3);
    const at = this.reserved & this.mask;
    const wrapBytes = at + size > this.capacity ? this.capacity - at : 0;
    return wrapBytes + size <= this.capacity - ((this.reserved - head) >>> 0);
  }

  /**
   * Publishes every frame reserved since the last commit, and wakes the consumer if it sleeps.
   * Returns true if a wake-up was sent.
   */
  commit(): boolean {
    if (this.pendingFrames === 0) return false;
    const w = this.words;
    Atomics.store(w, TAIL, this.reserved | 0);
    Atomics.add(w, STAT_FRAMES, this.pendingFrames);
    this.pendingFrames = 0;
    this.pendingLenAt = -1;
    const used = (this.reserved - (Atomics.load(w, HEAD) >>> 0)) >>> 0;
    if (used > (Atomics.load(w, STAT_HIGH_WATER) >>> 0)) Atomics.store(w, STAT_HIGH_WATER, used);
    if (Atomics.load(w, SLEEPING) === 1) {
      Atomics.add(w, STAT_NOTIFIES, 1);
      Atomics.add(this.bell, 0, 1);
      Atomics.notify(this.bell, 0);
      return true;
    }
    return false;
  }

  /**
   * Resolves when the consumer has freed space (HEAD moved), or after `timeoutMs`. For a
   * producer that found the ring full and has nothing else to do with that traffic.
   */
  async waitForSpace(timeoutMs: number): Promise<void> {
    const head = Atomics.load(this.words, HEAD);
    Atomics.store(this.words, PRODUCER_WAITING, 1);
    try {
      // A release() between the load above and the flag did not notify, but it moved HEAD, so
      // the wait below returns at once ("not-equal").
      await waitHeld(this.words, HEAD, head, timeoutMs);
    } finally {
      Atomics.store(this.words, PRODUCER_WAITING, 0);
    }
  }
}

/** The consuming side. Only one thread may hold a RingConsumer for a given buffer. */
export class RingConsumer extends RingSide {
  private head: number;
  private tail: number;

  constructor(sab: SharedArrayBuffer) {
    super(sab);
    this.head = Atomics.load(this.words, HEAD) >>> 0;
    this.tail = this.head;
  }

  /**
   * The next frame as [offset, length] into `bytes` (valid until release()), or null when the
   * ring is empty. Frames come in commit order.
   */
  next(out: { offset: number; length: number }): boolean {
    if (this.head === this.tail) {
      this.tail = Atomics.load(this.words, TAIL) >>> 0;
      if (this.head === this.tail) return false;
    }
    let at = this.head & this.mask;
    const tailRoom = this.capacity - at;
    if (tailRoom < 4 || this.bytes.readUInt32LE(at) === WRAP) {
      this.head = (this.head + tailRoom) >>> 0;
      at = 0;
    }
    const n = this.bytes.readUInt32LE(at);
    out.offset = at + 4;
    out.length = n;
    this.head = (this.head + 4 + ((n + 3) & ~3)) >>> 0;
    return true;
  }

  /** Frees the space of every frame returned by next() so far (the producer may reuse it). */
  release(): void {
    Atomics.store(this.words, HEAD, this.head | 0);
    if (Atomics.load(this.words, PRODUCER_WAITING) === 1) Atomics.notify(this.words, HEAD);
  }

  /** Whether committed frames are waiting (reads TAIL). */
  hasData(): boolean {
    return this.head !== (Atomics.load(this.words, TAIL) >>> 0);
  }

  /**
   * Announces that this consumer is about to sleep. Returns false if frames arrived meanwhile
   * (then do not sleep: drain again). See Bell.sleep().
   */
  prepareSleep(): boolean {
    Atomics.store(this.words, SLEEPING, 1);
    if (this.hasData()) {
      Atomics.store(this.words, SLEEPING, 0);
      return false;
    }
    Atomics.add(this.words, STAT_WAITS, 1);
    return true;
  }

  awake(): void {
    Atomics.store(this.words, SLEEPING, 0);
  }
}

/**
 * A consumer's doorbell: one Int32 in shared memory that producers increment and notify when
 * they commit to a ring whose consumer sleeps.
 *
 * The sleep protocol, race-free with any number of rings:
 *   1. v = bell.value()                     (before looking at the rings)
 *   2. for each ring: prepareSleep()        (raise SLEEPING, re-check; false → drain, retry)
 *   3. await bell.wait(v)                   (returns at once if a producer rang after step 1)
 *   4. for each ring: awake()
 * A producer that commits after step 2's re-check sees SLEEPING and rings, changing the value
 * from v, so the wait in step 3 cannot miss it.
 */
export class Bell {
  readonly word: Int32Array;

  constructor(sab: SharedArrayBuffer) {
    this.word = new Int32Array(sab, 0, 1);
  }

  static create(): SharedArrayBuffer {
    // 64 bytes: the bell gets a cache line of its own.
    return new SharedArrayBuffer(64);
  }

  value(): number {
    return Atomics.load(this.word, 0);
  }

  /** Resolves when the bell's value is no longer `v` (or after timeoutMs). */
  async wait(v: number, timeoutMs = Infinity): Promise<void> {
    await waitHeld(this.word, 0, v, timeoutMs);
  }
}
