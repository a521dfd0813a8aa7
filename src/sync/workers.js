// The pool of verify workers, one per core, and the split of a batch over them. Answers come
// back in the order of the batch. The worker's code is below and starts from a Blob URL, so
// it needs no file of its own (and works wherever the app's module is loaded).

// Runs inside each worker: checks Ed25519 signatures with WebCrypto and reports what the
// browser's engine says — 1 valid, 0 invalid, 2 could not check (the key would not import).
// The app decides what each answer means (src/sync/verify.rs).
function workerMain() {
  const keys = new Map();
  async function key(bytes) {
    const id = String.fromCharCode.apply(null, bytes);
    let k = keys.get(id);
    if (k === undefined) {
      if (keys.size > 100000) keys.clear();
      k = crypto.subtle.importKey("raw", bytes, "Ed25519", true, ["verify"]).catch(() => null);
      keys.set(id, k);
    }
    return k;
  }

  self.onmessage = async (event) => {
    const { id, keys: keyBytes, sigs, msgs, offsets } = event.data;
    const n = offsets.length - 1;
    const out = new Uint8Array(n);
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const k = await key(keyBytes.subarray(i * 32, i * 32 + 32));
        if (k === null) {
          out[i] = 2;
          return;
        }
        try {
          const ok = await crypto.subtle.verify(
            "Ed25519",
            k,
            sigs.subarray(i * 64, i * 64 + 64),
            msgs.subarray(offsets[i], offsets[i + 1]),
          );
          out[i] = ok ? 1 : 0;
        } catch {
          out[i] = 2;
        }
      }),
    );
    self.postMessage({ id, verdicts: out }, [out.buffer]);
  };
}

let pool = null;
let next = 0;
const waiting = new Map();

function workers() {
  if (pool === null) {
    const n = Math.max(1, Math.min(8, navigator.hardwareConcurrency || 2));
    pool = [];
    for (let i = 0; i < n; i++) {
      const src = URL.createObjectURL(
        new Blob([`(${workerMain.toString()})()`], { type: "text/javascript" }),
      );
      const w = new Worker(src);
      w.onmessage = (e) => {
        const done = waiting.get(e.data.id);
        waiting.delete(e.data.id);
        if (done) done.ok(e.data.verdicts);
      };
      w.onerror = (e) => {
        for (const [, p] of waiting) p.fail(e.message || "worker failed");
        waiting.clear();
      };
      pool.push(w);
    }
  }
  return pool;
}

// A worker that has not answered in this long is taken for stuck: the batch is then checked
// in Rust on the main thread, and the worker is replaced.
const ANSWER_WITHIN_MS = 60000;

function ask(w, data) {
  const id = next++;
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      if (!waiting.has(id)) return;
      // The whole pool goes, with every batch it held; the next batch starts a new one.
      if (pool !== null && pool.includes(w)) {
        for (const x of pool) x.terminate();
        pool = null;
        for (const [, p] of waiting) p.fail("worker did not answer");
        waiting.clear();
      } else {
        waiting.get(id).fail("worker did not answer");
        waiting.delete(id);
      }
    }, ANSWER_WITHIN_MS);
    const done = (f) => (v) => {
      clearTimeout(timer);
      f(v);
    };
    waiting.set(id, { ok: done(ok), fail: done(fail) });
    w.postMessage({ id, ...data });
  });
}

// keys: n×32 bytes, sigs: n×64 bytes, msgs: the messages end to end, offsets: n+1 u32.
export async function verifyAll(keys, sigs, msgs, offsets) {
  const ws = workers();
  const n = offsets.length - 1;
  const per = Math.ceil(n / ws.length);
  const parts = [];
  for (let s = 0; s < ws.length && s * per < n; s++) {
    const a = s * per;
    const b = Math.min(n, a + per);
    const base = offsets[a];
    const off = new Uint32Array(b - a + 1);
    for (let i = a; i <= b; i++) off[i - a] = offsets[i] - base;
    parts.push(
      ask(ws[s], {
        keys: keys.slice(a * 32, b * 32),
        sigs: sigs.slice(a * 64, b * 64),
        msgs: msgs.slice(base, offsets[b]),
        offsets: off,
      }),
    );
  }
  const answers = await Promise.all(parts);
  const out = new Uint8Array(n);
  let at = 0;
  for (const part of answers) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
