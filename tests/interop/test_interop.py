"""Interop: a space written from scratch in Python, following only docs/protocol.md, must audit
exactly as this script predicts.

Independent of the Rust code: Ed25519 from the `cryptography` package, JSON and SHA-256 from
the standard library. Run: python3 tests/interop/test_interop.py  (LINLI_HUB=path/to/linli-hub)
"""

import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ROOT = Path(__file__).resolve().parents[2]
HUB = os.environ.get("LINLI_HUB", str(ROOT / "target/debug/linli-hub"))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Device:
    """A device key and its chain: seq, prev, lamport."""

    def __init__(self, n: int):
        self.key = Ed25519PrivateKey.from_private_bytes(bytes([n]) * 32)
        self.pub = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
        self.seq, self.prev, self.lamport = 0, None, 0


class Town:
    """Signs events in order and remembers what the audit must say about each."""

    def __init__(self):
        self.envelopes = []
        self.max_lamport = 0
        self.space = None
        self.expected = {}  # id -> None (accepted) or rejection code

    def body(self, dev, kind, payload, seq=None, prev=None, lamport=None):
        fields = {}
        if self.space is not None:
            fields["space"] = self.space
        fields.update(
            author=dev.pub,
            seq=dev.seq + 1 if seq is None else seq,
            prev=dev.prev if prev is None else prev,
            lamport=max(dev.lamport, self.max_lamport) + 1 if lamport is None else lamport,
            ts=1_767_225_600_000 + 1000 * len(self.envelopes),
            kind=kind,
            payload=payload,
        )
        return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()

    def seal(self, dev, body: bytes) -> str:
        sig = dev.key.sign(b"linli-event-v1\x00" + body)
        return json.dumps({"v": 1, "body": b64(body), "sig": b64(sig)}, separators=(",", ":"))

    def act(self, dev, kind, payload, expect=None):
        body = self.body(dev, kind, payload)
        event_id = sha(body)
        fields = json.loads(body)
        dev.seq, dev.prev, dev.lamport = fields["seq"], event_id, fields["lamport"]
        self.max_lamport = max(self.max_lamport, dev.lamport)
        self.envelopes.append(self.seal(dev, body))
        self.expected[event_id] = expect
        if self.space is None:
            self.space = event_id
        return event_id


def write_space(base: Path, space: str, envelopes):
    folder = base / "spaces" / space
    folder.mkdir(parents=True)
    files = []
    # Two files, to exercise the manifest; the order inside them is deliberately scrambled.
    halves = [envelopes[1::2], envelopes[0::2]]
    for i, part in enumerate(halves):
        data = ("[" + ",\n".join(part) + "]").encode()
        name = f"part-{i}.json"
        (folder / name).write_bytes(data)
        files.append({"path": name, "sha256": sha(data), "events": len(part)})
    (folder / "manifest.json").write_text(json.dumps({"space": space, "files": files}))
    return folder


class InteropTest(unittest.TestCase):
    def test_python_written_space_audits_as_predicted(self):
        t = Town()
        admin, council, res1, res2, res2_new, stranger, thief = (Device(n) for n in range(1, 8))
        secrets = {n: bytes([0xA0 + n]) * 32 for n in range(1, 5)}

        t.act(admin, "space.genesis", {"name": "互操作社区", "founder": "测试员"})
        t.act(admin, "member.invite", {"invite": sha(secrets[1]), "role": "council", "household": "01-0001"})
        council_id = t.act(council, "member.join", {"secret": secrets[1].hex(), "name": "议事员"})
        t.act(council, "member.invite", {"invite": sha(secrets[2]), "role": "resident", "household": "02-0101"})
        res1_id = t.act(res1, "member.join", {"secret": secrets[2].hex(), "name": "张三"})
        t.act(admin, "member.invite", {"invite": sha(secrets[3]), "role": "resident", "household": "02-0102"})
        res2_id = t.act(res2, "member.join", {"secret": secrets[3].hex(), "name": "李四"})
        # Reusing a secret from another device.
        t.act(thief, "member.join", {"secret": secrets[2].hex(), "name": "冒名"}, expect="invite_used")
        # A resident may not invite.
        t.act(res1, "member.invite", {"invite": sha(secrets[4]), "role": "resident", "household": "X"}, expect="not_permitted")
        # Lost phone: revoke, then a new device for the same member.
        t.act(admin, "member.device_revoke", {"device": res2.pub})
        t.act(admin, "member.device_add", {"member": res2_id, "device": res2_new.pub})
        t.act(res2, "member.invite_revoke", {"invite": sha(secrets[4])}, expect="revoked_device")
        # A stranger's device, never admitted.
        t.act(stranger, "member.invite", {"invite": sha(b"x" * 32), "role": "resident", "household": "Y"}, expect="unknown_author")
        # A kind nobody knows, and a payload that does not fit its kind.
        t.act(council, "future.kind", {"anything": 1}, expect="unknown_kind")
        t.act(council, "member.device_revoke", {"device": "NOT-HEX"}, expect="malformed_payload")

        # A tampered event: valid envelope, one body byte changed, signature kept.
        body = t.body(res1, "member.invite_revoke", {"invite": sha(secrets[4])})
        good = json.loads(t.seal(res1, body))
        tampered_body = body.replace("invite_revoke".encode(), "invite_revokf".encode())
        t.envelopes.append(json.dumps({"v": 1, "body": b64(tampered_body), "sig": good["sig"]}))
        t.expected[sha(tampered_body)] = "bad_signature"
        # Signed by the stranger in council's name.
        forged = t.body(council, "member.invite", {"invite": sha(b"z" * 32), "role": "resident", "household": "Z"})
        t.envelopes.append(t.seal(stranger, forged))
        t.expected[sha(forged)] = "bad_signature"
        # Garbage that is not an envelope at all.
        junk = json.dumps({"v": 1, "body": "%%%", "sig": ""})
        t.envelopes.append(junk)
        t.expected[sha(junk.encode())] = "bad_envelope"
        # A fork: the council device signs two different events at its next seq.
        fork_seq = council.seq + 1
        a = t.act(council, "member.invite", {"invite": sha(b"f" * 32), "role": "resident", "household": "F1"}, expect="fork")
        twin = t.body(council, "member.invite", {"invite": sha(b"g" * 32), "role": "resident", "household": "F2"},
                      seq=fork_seq, prev=t_prev_of(t, council, a), lamport=council.lamport)
        t.envelopes.append(t.seal(council, twin))
        t.expected[sha(twin)] = "fork"
        # Duplicates are harmless.
        t.envelopes.append(t.envelopes[1])

        with tempfile.TemporaryDirectory() as tmp:
            write_space(Path(tmp), t.space, t.envelopes)
            out = subprocess.run([HUB, "audit", tmp, "--json"], capture_output=True, text=True)
            self.assertEqual(out.returncode, 0, out.stderr)
            report = json.loads(out.stdout)

        self.assertEqual(report["space"], t.space)
        self.assertEqual(report["name"], "互操作社区")
        want_rejections = sorted((i, c) for i, c in t.expected.items() if c)
        got_rejections = sorted((r["id"], r["code"]) for r in report["rejections"])
        self.assertEqual(got_rejections, want_rejections)
        accepted = sum(1 for c in t.expected.values() if c is None)
        self.assertEqual(report["events"], {"accepted": accepted, "rejected": len(want_rejections)})
        self.assertEqual(report["forks"], [{"device": council.pub, "seq": fork_seq}])

        members = {m["id"]: m for m in report["members"]}
        self.assertEqual(set(members), {t.space, council_id, res1_id, res2_id})
        self.assertEqual(members[t.space]["role"], "admin")
        self.assertEqual(members[council_id]["role"], "council")
        self.assertEqual(members[res1_id]["household"], "02-0101")
        self.assertEqual(members[res2_id]["devices"], [res2_new.pub])
        self.assertEqual(members[res2_id]["revoked_devices"], [res2.pub])


def t_prev_of(town, dev, event_id):
    """The prev of the event `event_id` (the device's previous head), read back from the log."""
    for env in town.envelopes:
        body = base64.urlsafe_b64decode(json.loads(env)["body"] + "==")
        if sha(body) == event_id:
            return json.loads(body)["prev"]
    raise KeyError(event_id)


if __name__ == "__main__":
    if not Path(HUB).exists():
        sys.exit(f"interop: {HUB} not found; build it first: cargo build -p linli-hub")
    unittest.main(verbosity=2)
