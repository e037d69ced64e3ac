#!/usr/bin/env python3
"""Materialise one trust store as a PEM bundle and check it against index.json.

Usage: python3 bundle.py TRUSTSTORES_DIR STORE_ID > store.pem
The bundle is the pool PEM blocks (without the '#' comment lines) of the
store's fingerprints, in fingerprint order; its SHA-256 must equal
bundle_sha256 in index.json, else the script exits 1.
"""
import hashlib, json, os, sys

root, sid = sys.argv[1], sys.argv[2]
index = {s["id"]: s for s in json.load(open(os.path.join(root, "index.json")))["stores"]}
s = index[sid]
fps = [l.strip() for l in open(os.path.join(root, s["list_file"])) if l.strip() and not l.startswith("#")]
out = "".join("".join(l for l in open(os.path.join(root, "certs", fp + ".pem")) if not l.startswith("#")) for fp in fps)
if hashlib.sha256(out.encode()).hexdigest() != s["bundle_sha256"]:
    sys.exit("bundle hash mismatch for %s" % sid)
sys.stdout.write(out)
