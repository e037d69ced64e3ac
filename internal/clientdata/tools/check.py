#!/usr/bin/env python3
"""Consistency checks over the generated data (run by refresh.sh)."""
import hashlib, json, os, re, sys
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ts = os.path.join(ROOT, "truststores")
idx = json.load(open(os.path.join(ts, "index.json")))
ids = {s["id"] for s in idx["stores"]}
errs = []
for s in idx["stores"]:
    fps = [l.strip() for l in open(os.path.join(ts, s["list_file"])) if l.strip() and not l.startswith("#")]
    if len(fps) != s["count"]:
        errs.append("%s: count %d != list %d" % (s["id"], s["count"], len(fps)))
    text = ""
    for fp in fps:
        pem = "".join(l for l in open(os.path.join(ts, "certs", fp + ".pem")) if not l.startswith("#"))
        import base64
        der = base64.b64decode("".join(pem.strip().splitlines()[1:-1]))
        if hashlib.sha256(der).hexdigest() != fp:
            errs.append("%s: pool file %s does not hash to its name" % (s["id"], fp))
        text += pem
    if hashlib.sha256(text.encode()).hexdigest() != s["bundle_sha256"]:
        errs.append("%s: bundle hash mismatch" % s["id"])
prof = json.load(open(os.path.join(ROOT, "profiles.json")))["profiles"]
seen = set()
HEX = re.compile(r"^0x[0-9A-F]{4}$")
for p in prof:
    if p["id"] in seen:
        errs.append("duplicate profile id " + p["id"])
    seen.add(p["id"])
    if p["trust_store"] not in ids and p["trust_store"] != "platform":
        errs.append("%s: unknown trust store %s" % (p["id"], p["trust_store"]))
    for k in ("cipher_suites", "groups", "signature_algorithms"):
        for c in p.get(k, []):
            if not HEX.match(c):
                errs.append("%s: bad code %r in %s" % (p["id"], c, k))
    for k in ("id", "name", "platform", "versions", "cipher_suites", "trust_store", "source", "date", "approximate"):
        if k not in p:
            errs.append("%s: missing %s" % (p["id"], k))
    if p["approximate"] and not p.get("approximate_why"):
        errs.append("%s: approximate without a reason" % p["id"])
print("\n".join(errs) if errs else "check: %d stores, %d profiles OK" % (len(ids), len(prof)))
sys.exit(1 if errs else 0)
