#!/usr/bin/env python3
"""Extract a dated public-intermediate set from a committed copy of CCADB's
MozillaIntermediateCertsCSVReport (non-revoked, non-expired intermediates
chaining to Mozilla roots with the Websites trust bit, as of the report date).

Usage: python3 build_intermediates.py GITDIR REF PATH OUTDIR [AS_OF=YYYY-MM-DD]
Writes OUTDIR/intermediates.pem (certificates still valid at AS_OF, each
preceded by '# subject/issuer/sha256/not_after' lines) and
OUTDIR/intermediates.json (facts for every row, valid or not).
"""
import base64, csv, datetime, hashlib, io, json, os, subprocess, sys, warnings
warnings.filterwarnings("ignore")
from cryptography import x509

gitdir, ref, path, outdir = sys.argv[1:5]
as_of = datetime.datetime.fromisoformat(sys.argv[5] if len(sys.argv) > 5 else datetime.date.today().isoformat()).replace(tzinfo=datetime.timezone.utc)
raw = subprocess.run(["git", "--git-dir", gitdir, "show", "%s:%s" % (ref, path)], check=True, capture_output=True).stdout
commit = subprocess.run(["git", "--git-dir", gitdir, "rev-parse", ref], check=True, capture_output=True, text=True).stdout.strip()
cdate = subprocess.run(["git", "--git-dir", gitdir, "log", "-1", "--format=%as", ref], check=True, capture_output=True, text=True).stdout.strip()
rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
facts, pems, bad = [], [], 0
for r in rows:
    pem = r["PEM"].strip().strip("'")
    try:
        c = x509.load_pem_x509_certificate(pem.encode())
    except Exception:
        bad += 1
        continue
    der = c.public_bytes(__import__("cryptography.hazmat.primitives.serialization", fromlist=["Encoding"]).Encoding.DER)
    fp = hashlib.sha256(der).hexdigest()
    valid = c.not_valid_before_utc <= as_of <= c.not_valid_after_utc
    facts.append({"sha256": fp, "subject": c.subject.rfc4514_string(), "issuer": c.issuer.rfc4514_string(),
                  "not_before": c.not_valid_before_utc.strftime("%Y-%m-%d"), "not_after": c.not_valid_after_utc.strftime("%Y-%m-%d"),
                  "valid_at_as_of": valid, "report_sha256_matches": r["SHA256"].strip().lower() == fp})
    if valid:
        b = base64.b64encode(der).decode()
        pems.append("# subject: %s\n# issuer: %s\n# sha256: %s\n# not_after: %s\n-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n"
                    % (facts[-1]["subject"], facts[-1]["issuer"], fp, facts[-1]["not_after"], "\n".join(b[i:i+64] for i in range(0, len(b), 64))))
os.makedirs(outdir, exist_ok=True)
hdr = ("# Public intermediate CA certificates (CCADB MozillaIntermediateCertsCSVReport)\n"
       "# source: github.com/dpereira-silvas/certificates commit %s (%s), file %s\n"
       "# report date: on or before %s; filtered to certificates valid at %s: %d of %d rows\n"
       "# see intermediates.md for what this set is good for and its limits\n" % (commit, cdate, path, cdate, as_of.date(), len(pems), len(rows)))
open(os.path.join(outdir, "intermediates.pem"), "w").write(hdr + "".join(pems))
json.dump({"source_repo": "dpereira-silvas/certificates", "source_commit": commit, "source_commit_date": cdate,
           "source_path": path, "ccadb_report": "https://ccadb.my.salesforce-sites.com/mozilla/MozillaIntermediateCertsCSVReport",
           "as_of": as_of.date().isoformat(), "rows": len(rows), "unparseable": bad, "valid_at_as_of": len(pems),
           "certificates": facts}, open(os.path.join(outdir, "intermediates.json"), "w"), indent=1)
print(len(rows), bad, len(pems), file=sys.stderr)
