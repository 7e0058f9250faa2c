import type { IncomingMessage } from 'node:http';
import type { BodyBudget } from './body-budget.js';

export type BodyResult =
  | { readonly kind: 'body'; readonly body: Buffer }
  /** Larger than the limit: refused (413), the rest not read. */
  | { readonly kind: 'too-large' }
  /** Would pass the in-flight budget: refused as throttled (503), the rest not read. */
  | { readonly kind: 'over-budget' };

/**
 * Reads a request body within `limit` bytes and the budget, reserving as it reads (all at once
 * when Content-Length declares the size, so a request that cannot fit is refused before a byte
 * is read). `release()` gives back what was reserved; call it once the request is answered.
 */
export function readBody(req: IncomingMessage, limit: number, budget: BodyBudget): { result: Promise<BodyResult>; release: () => void } {
  const socket = req.socket;
  let reserved = 0;
  const release = () => {
    budget.release(socket, reserved);
    reserved = 0;
  };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared)) {
    if (declared > limit) return { result: Promise.resolve({ kind: 'too-large' }), release };
    if (!budget.reserve(socket, declared)) return { result: Promise.resolve({ kind: 'over-budget' }), release };
    reserved = declared;
  }
  const result = new Promise<BodyResult>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (outcome: BodyResult) => {
      req.removeListener('data', onData);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop({ kind: 'too-large' });
      if (size > reserved) {
        // Chunked (or lying about its length): reserve as it comes.
        if (!budget.reserve(socket, size - reserved)) return stop({ kind: 'over-budget' });
        reserved = size;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve({ kind: 'body', body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }));
    req.on('error', reject);
  });
  return { result, release };
}

/** After an early answer, what is left of the body is discarded — not buffered — up to a bound. */
const DISCARD_BYTES = 8 * 1024 * 1024;
const DISCARD_MS = 2000;

/**
 * A request answered before its body was read (refused): the rest of the body is read and
 * thrown away, so the client, still sending, reads the answer instead of a connection reset;
 * past DISCARD_BYTES or DISCARD_MS the connection is closed. Nothing is kept in memory.
 */
export function discardRest(req: IncomingMessage): void {
  if (req.complete) return;
  // Counted on the request, not the socket (a second 'data' listener on the socket upsets node's
  // own flow control between pipelined requests). Resumed here, in the tick of the answer, so
  // node does not dump the body itself (IncomingMessage._dump would drop this listener).
  let seen = 0;
  const timer = setTimeout(() => req.socket.destroy(), DISCARD_MS);
  timer.unref();
  const done = () => clearTimeout(timer);
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > DISCARD_BYTES) {
      done();
      req.socket.destroy();
    }
  });
  req.once('end', done);
  req.once('close', done);
  req.resume();
}
