#!/usr/bin/env python3
"""Build the dated trust-store snapshots under truststores/ from their sources.

Layout written (see truststores/README.md):
  truststores/certs/<sha256>.pem   one certificate per file (the shared pool)
  truststores/stores/<id>.txt      the store: sorted SHA-256 fingerprints, one per line
  truststores/certs.json           per-certificate facts (subject, validity, key, signature)
  truststores/index.json           per-store provenance, counts, bundle hash, flags

A store's "bundle" is the concatenation, in fingerprint order, of the pool PEM
blocks of its certificates (tools/bundle.py writes it); bundle_sha256 in
index.json is the hash of exactly that text, so a materialised bundle can be
checked.

Sources are read from local paths only (git directories fetched beforehand,
a downloaded .deb, the Go module cache); the table of stores is STORES below.
Every source path can be overridden with an environment variable (see
refresh.sh). Nothing here downloads anything.

Usage: python3 build_truststores.py OUTDIR
"""
import warnings
warnings.filterwarnings("ignore")
import base64
import csv
import datetime
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, ed448, rsa, dsa

M = os.environ.get("MIRRORS", "/work/.mirror")
SRC = {
    "lineage": os.environ.get("AOSP_LINEAGE_GIT", M + "/LineageOS+android_system_ca-certificates/repo"),
    "aosp_main_copy": os.environ.get("AOSP_MAIN_COPY_GIT", M + "/vvb2060+zygisk_cacerts/repo"),
    "apple": os.environ.get("APPLE_GIT", M + "/apple-oss-distributions+security_certificates/repo"),
    "testssl": os.environ.get("TESTSSL_GIT", M + "/testssl+testssl.sh/repo"),
    "tlswg": os.environ.get("TLSWG_ABRIDGE_GIT", M + "/tlswg+draft-ietf-tls-cert-abridge/repo"),
    "deb_new": os.environ.get("DEB_CA_CERTS", "/tmp/deb/ca-certificates_20250419~deb12u2_all.deb"),
    "deb_installed": os.environ.get("DEB_CA_DIR_INSTALLED", "/usr/share/ca-certificates/mozilla"),
    "gofallback": os.environ.get("GO_FALLBACK_DIR", ""),
}

PEM_RE = re.compile(rb"-----BEGIN CERTIFICATE-----\s+(.*?)-----END CERTIFICATE-----", re.S)


def git(gitdir, *args, text=False):
    return subprocess.run(["git", "--git-dir", gitdir] + list(args), check=True,
                          capture_output=True, text=text).stdout


def rev(gitdir, ref):
    return git(gitdir, "rev-parse", ref + "^{commit}", text=True).strip()


def commit_date(gitdir, ref):
    return git(gitdir, "log", "-1", "--format=%as", ref, text=True).strip()


def ders_from_blob(data):
    """All certificates in a blob: PEM blocks if any, else the blob as DER."""
    blocks = PEM_RE.findall(data)
    if blocks:
        return [base64.b64decode(b"".join(b.split())) for b in blocks]
    if data[:1] == b"\x30":
        return [data]
    return []


def git_dir_certs(gitdir, ref, path, exts=None):
    out = []
    names = git(gitdir, "ls-tree", "--name-only", "%s:%s" % (ref, path), text=True).split("\n")
    for n in names:
        if not n or (exts and not n.lower().endswith(exts)):
            continue
        out += ders_from_blob(git(gitdir, "show", "%s:%s/%s" % (ref, path, n)))
    return out


def git_file_certs(gitdir, ref, path):
    return ders_from_blob(git(gitdir, "show", "%s:%s" % (ref, path)))


def deb_certs(deb):
    """Certificates under usr/share/ca-certificates/mozilla in a .deb."""
    data = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], check=True, capture_output=True).stdout
    out = []
    with tarfile.open(fileobj=io.BytesIO(data)) as t:
        for m in t.getmembers():
            if "/usr/share/ca-certificates/mozilla/" in m.name and m.isfile():
                out += ders_from_blob(t.extractfile(m).read())
    return out


def dir_certs(d):
    out = []
    for n in sorted(os.listdir(d)):
        out += ders_from_blob(open(os.path.join(d, n), "rb").read())
    return out


def gofallback_certs(moddir):
    """x509roots/fallback/bundle: bundle.der is concatenated DER; bundle.go has
    offsets and per-root distrustAfter constraints."""
    raw = open(os.path.join(moddir, "bundle", "bundle.der"), "rb").read()
    src = open(os.path.join(moddir, "bundle", "bundle.go")).read()
    out, constraints = [], {}
    for m in re.finditer(r"\{\s*cn:\s*\"(.*?)\",\s*sha256Hash:\s*\"([0-9a-f]+)\",\s*certStartOff:\s*(\d+),"
                         r"\s*certLength:\s*(\d+),(.*?)\}", src, re.S):
        off, ln = int(m.group(3)), int(m.group(4))
        der = raw[off:off + ln]
        fp = hashlib.sha256(der).hexdigest()
        assert fp == m.group(2), "fingerprint mismatch in fallback bundle"
        out.append(der)
        da = re.search(r"distrustAfter:\s*\"(.*?)\"", m.group(5))
        if da:
            constraints[fp] = {"distrust_after": da.group(1),
                               "meaning": "reject chains whose certificates have notBefore after this time"}
    return out, constraints


def ms_ccadb_certs(gitdir, ref, path, require_eku="Server Authentication"):
    rows = list(csv.DictReader(io.StringIO(git(gitdir, "show", "%s:%s" % (ref, path)).decode("utf-8-sig"))))
    out, constraints, meta = [], {}, {}
    for r in rows:
        ders = ders_from_blob(r["PEM Info"].strip().strip("'").encode())
        if not ders:
            continue
        fp = hashlib.sha256(ders[0]).hexdigest()
        meta[fp] = {"status": r["Microsoft Status"], "ekus": r["Microsoft EKUs"]}
        if r["Microsoft Status"] not in ("Included", "NotBefore"):
            continue
        if require_eku and require_eku not in r["Microsoft EKUs"].split(";"):
            continue
        out.append(ders[0])
        if r["Microsoft Status"] == "NotBefore":
            constraints[fp] = {"microsoft_status": "NotBefore",
                               "meaning": "Microsoft distrusts certificates issued after a per-root date (date not in this report)"}
    return out, constraints, meta


def fp_of(der):
    return hashlib.sha256(der).hexdigest()


def pem_of(der):
    b = base64.b64encode(der).decode()
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(b[i:i + 64] for i in range(0, len(b), 64)) + "\n-----END CERTIFICATE-----\n"


def key_desc(pub):
    if isinstance(pub, rsa.RSAPublicKey):
        return "RSA", pub.key_size
    if isinstance(pub, ec.EllipticCurvePublicKey):
        return "EC-" + pub.curve.name, pub.key_size
    if isinstance(pub, ed25519.Ed25519PublicKey):
        return "Ed25519", 256
    if isinstance(pub, ed448.Ed448PublicKey):
        return "Ed448", 456
    if isinstance(pub, dsa.DSAPublicKey):
        return "DSA", pub.key_size
    return type(pub).__name__, None


def cert_facts(der):
    c = x509.load_der_x509_certificate(der)
    try:
        kt, kb = key_desc(c.public_key())
    except Exception as e:  # unusual keys (e.g. explicit EC parameters)
        kt, kb = "unparsed:" + str(e)[:40], None
    spki = c.public_bytes(serialization.Encoding.DER)  # placeholder, replaced below
    try:
        spki = c.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        spki_fp = hashlib.sha256(spki).hexdigest()
    except Exception:
        spki_fp = None
    try:
        sig = c.signature_algorithm_oid._name
    except Exception:
        sig = c.signature_algorithm_oid.dotted_string
    return {
        "subject": c.subject.rfc4514_string(),
        "issuer": c.issuer.rfc4514_string(),
        "not_before": c.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "not_after": c.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "key": kt, "key_bits": kb, "signature": sig,
        "spki_sha256": spki_fp,
        "self_signed": c.subject == c.issuer,
    }


def android(store_id, api, ref, gitdir, path, source_desc, approx, notes, release):
    return dict(id=store_id, name="Android %s (API %s) system CA store" % (release, api), family="android",
                kind="git_dir", gitdir=gitdir, ref=ref, path=path, source_desc=source_desc,
                licence="Apache-2.0 (AOSP system/ca-certificates; certificates themselves are public data)",
                approximate=approx, notes=notes, api_level=api)


LINEAGE_NOTE = ("AOSP system/ca-certificates history as carried in the LineageOS fork (AOSP commits, "
                "original authorship kept). ")
STORES = [
    # ---- Mozilla NSS ------------------------------------------------------------------
    dict(id="mozilla-debian-20250419", name="Mozilla NSS roots via Debian ca-certificates 20250419~deb12u2 (NSS bundle 2.74)",
         family="mozilla", kind="deb", path=SRC["deb_new"],
         source_desc="Debian package ca-certificates 20250419~deb12u2 (bookworm-security), usr/share/ca-certificates/mozilla",
         licence="MPL-2.0 (Mozilla certdata.txt); Debian packaging GPL-2+", approximate=False,
         notes="Debian ships Mozilla's roots that carry the websites trust bit; roots with an NSS 'distrust after' date are shipped without that constraint, and Debian removes a few roots of its own accord (see its changelog: emSign ECC Root CA - G3 and Comodo AAA Services root in deb12u2)."),
    dict(id="mozilla-debian-20230311", name="Mozilla NSS roots via Debian ca-certificates 20230311+deb12u1 (installed on this machine)",
         family="mozilla", kind="dir", path=SRC["deb_installed"],
         source_desc="Debian package ca-certificates 20230311+deb12u1 as installed, /usr/share/ca-certificates/mozilla",
         licence="MPL-2.0 (Mozilla certdata.txt); Debian packaging GPL-2+", approximate=False,
         notes="Older dated snapshot, kept to show change over time (curl/OpenSSL on Debian 12 at release)."),
    dict(id="mozilla-gofallback-20261030", name="Mozilla NSS roots via golang.org/x/crypto/x509roots/fallback v0.0.0-20261030153154-30a33513ff6d",
         family="mozilla", kind="gofallback", path=SRC["gofallback"],
         source_desc="Go module golang.org/x/crypto/x509roots/fallback@v0.0.0-20261030153154-30a33513ff6d (bundle/bundle.der + bundle.go), generated from NSS certdata.txt",
         licence="BSD-3-Clause (Go module); certificate list derived from Mozilla NSS (MPL-2.0)", approximate=False,
         notes="Carries NSS 'distrust after' constraints per root (see constraints); this is the most current Mozilla snapshot here."),
    # ---- Android (AOSP) ------------------------------------------------------------------
    android("android-19", 19, "f730950", SRC["lineage"], "files", LINEAGE_NOTE + "Commit f730950 (2013-08-16, 'CA certificate update'), the last update before Android 4.4 (Oct 2013).", True,
            "Reconstructed from AOSP master history by date; the kitkat release branch is not in the mirror. A 2014-03 update (1fca2c8) probably reached 4.4.3+ (still API 19).", "4.4"),
    android("android-21", 21, "f954c71", SRC["lineage"], "files", LINEAGE_NOTE + "Commit f954c71 (2014-09-26, 'Revert removal of some 1024-bit CA roots'), last change before Android 5.0 (Nov 2014).", True,
            "Reconstructed from AOSP master history by date.", "5.0"),
    android("android-22", 22, "2a48c26", SRC["lineage"], "files", LINEAGE_NOTE + "Commit 2a48c26 (2014-12-05, 'CA certificates update') for Android 5.1.", True,
            "Reconstructed from AOSP master history by date.", "5.1"),
    android("android-23", 23, "6f831a6", SRC["lineage"], "files", LINEAGE_NOTE + "Commit 6f831a6 ('Update CA certificates', authored 2015-04-21, landed in AOSP 2015-10-28 with the Marshmallow release).", True,
            "Reconstructed from AOSP history; assignment by author date to the M release.", "6.0"),
    android("android-24", 24, "c36d8eb", SRC["lineage"], "files", LINEAGE_NOTE + "Commit c36d8eb (2016-03-21, 'Update CA certificates'), the state before the Aug-2016 update that added ISRG Root X1.", True,
            "Reconstructed from AOSP history. Android 7.0 does not trust ISRG Root X1 (Let's Encrypt); it was added in 7.1.1 (API 25).", "7.0"),
    android("android-25", 25, "465b0d8", SRC["lineage"], "files", LINEAGE_NOTE + "Commit 465b0d8 (2016-08-29, 'Update CA certificates', adds ISRG Root X1 among others) for Android 7.1.", True,
            "Reconstructed from AOSP history by date.", "7.1"),
    android("android-26", 26, "db524b2", SRC["lineage"], "files", LINEAGE_NOTE + "Commit db524b2 (2017-02-06, 'Update CA certificates'), the update before 'Update CA certificates for O MR1'.", True,
            "Reconstructed from AOSP history by date; Android 8.0 released Aug 2017.", "8.0"),
    android("android-27", 27, "cdcb5d2", SRC["lineage"], "files", LINEAGE_NOTE + "Commit cdcb5d2 (2017-08-14): 'Update CA certificates for O MR1' plus 'Remove WoSign and StartCom certificates'.", True,
            "Reconstructed from AOSP history by commit message.", "8.1"),
    android("android-28", 28, "lineage-16.0", SRC["lineage"], "files", LINEAGE_NOTE + "Branch lineage-16.0 (Android 9), includes 'Update CA certificates for P.'", False,
            "Release-branch state as LineageOS ships it for Android 9.", "9"),
    android("android-29", 29, "lineage-17.1", SRC["lineage"], "files", LINEAGE_NOTE + "Branch lineage-17.1 (Android 10), includes 'Update CA certificates for Q'.", False,
            "Release-branch state as LineageOS ships it for Android 10.", "10"),
    android("android-30", 30, "lineage-18.1", SRC["lineage"], "files", LINEAGE_NOTE + "Branch lineage-18.1 (Android 11), with later security-release removals (TrustCor, E-Tugra).", False,
            "Android 11 as patched through its security releases (2023); a device on an older patch level may still trust roots removed since.", "11"),
    android("android-32", 32, "lineage-19.1", SRC["lineage"], "files", LINEAGE_NOTE + "Branch lineage-19.1 (Android 12/12L, API 31/32).", False,
            "Android 12/12L as patched through 2023.", "12L"),
    android("android-33", 33, "lineage-20.0", SRC["lineage"], "files", LINEAGE_NOTE + "Branch lineage-20.0 (Android 13), merged android-security-13.0.0_r11.", False,
            "Android 13 system store as patched through late 2023.", "13"),
    android("android-34", 34, "be9e265", SRC["aosp_main_copy"], "module/magisk_module/system/etc/security/cacerts",
            "Third-party copy of AOSP main's system/ca-certificates/files taken 2024-01-19 (vvb2060/zygisk_cacerts commit be9e265, changelog '1.0: Android 14 CA certificates').", True,
            "Not an AOSP repository: a copy of AOSP main at that date, not a release tag. From Android 14 the root store lives in the Conscrypt APEX (/apex/com.android.conscrypt/cacerts) and is updated through Google Play system updates, so a device's store depends on its Mainline train, not only its API level.", "14"),
    android("android-35", 35, "16c727a", SRC["aosp_main_copy"], "module/magisk_module/system/etc/security/cacerts",
            "Third-party copy of AOSP main's system/ca-certificates/files taken 2024-07-10 (vvb2060/zygisk_cacerts commit 16c727a, '1.1: Android 15 CA certificates').", True,
            "As android-34: AOSP main snapshot, Mainline-updatable store.", "15"),
    android("android-36", 36, "3cc28d4", SRC["aosp_main_copy"], "module/magisk_module/system/etc/security/cacerts",
            "Third-party copy of AOSP main's system/ca-certificates/files taken 2026-01-14 (vvb2060/zygisk_cacerts commit 3cc28d4, '1.2: Android 16 CA certificates'). Cross-checked: the android-15.0.0_r36 -> android-16.0.0_r1 diff published in xdevs23/aosp-diffs adds/removes a subset of the same files.", True,
            "AOSP main of Jan 2026, later than android-16.0.0_r1 (it also drops several roots removed in late 2025).", "16"),
]

APPLE_TAGS = [
    ("2018071800", "security_certificates-55093.200.19", "iOS 12 / macOS 10.14"),
    ("2018121000", "security_certificates-55161.0.3", "iOS 12.2-13.3 / macOS 10.14.4-10.15.2"),
    ("2020082800", "security_certificates-55188.40.9", "iOS 14 / macOS 11"),
    ("2021072200", "security_certificates-55218.40.9", "iOS 15 / macOS 12"),
    ("2022070700", "security_certificates-55245.40.7", "iOS 16 / macOS 13"),
    ("2023071300", "security_certificates-55291", "iOS 17 / macOS 14"),
    ("2024040500", "security_certificates-55297.120.3", "iOS 17.5 / macOS 14.5"),
    ("2024051500", "security_certificates-55313.0.8", "iOS 18 / macOS 15"),
    ("2025031200", "security_certificates-55313.120.12", "iOS 18.4+ / macOS 15.4+"),
    ("2025072000", "security_certificates-55349.0.11", "iOS 26 / macOS 26"),
]
for asset, tag, oses in APPLE_TAGS:
    STORES.append(dict(
        id="apple-" + asset, name="Apple trust store %s (%s)" % (asset, oses), family="apple",
        kind="git_dir", gitdir=SRC["apple"], ref=tag, path="certificates/roots",
        source_desc="apple-oss-distributions/security_certificates tag %s, certificates/roots; config/AssetVersion.plist VersionNumber %s" % (tag, asset),
        licence="Apple Public Source License 2.0 (repository); certificates are public data",
        approximate=True,
        notes="OS mapping (%s) inferred from tag dates and the trust-store asset version; Apple also updates the store over the air (PKITrustStore asset), so a device may have a newer one. All files in certificates/roots are included: Apple's per-root restrictions (non-TLS roots, distrust dates kept in the trust-settings data) are not applied." % oses,
        oses=oses))

JAVA = [
    ("java-20200110", "40155ed2", "JRE from jdk.java.net (Jan 2020; the JDK 11/13 era)"),
    ("java-20220701", "fb2b4935", "Oracle jdk-17.0.3.1"),
    ("java-20240722", "3a9c0aa8", "JDK 21.0.4"),
    ("java-20251101", "3e495f45", "JDK LTS as of Nov 2025 (21/25)"),
]
for sid, c, what in JAVA:
    STORES.append(dict(
        id=sid, name="Java (OpenJDK/Oracle) cacerts, %s" % what, family="java", kind="git_file",
        gitdir=SRC["testssl"], ref=c, path="etc/Java.pem",
        source_desc="testssl/testssl.sh commit %s etc/Java.pem, exported by the testssl.sh maintainers from the cacerts of %s (keytool -list -rfc)" % (c, what),
        licence="certificates are public data; the file sits in a GPLv2 repository (see NOTES.md)",
        approximate=True,
        notes="Second-hand: exported by a third party; the upstream JDK cacerts files (src/java.base/share/data/cacerts) could not be fetched (repository snapshots over the size limit). Root updates are backported to every supported JDK train in the quarterly CPUs, so the store depends on the update level more than the major version. Debian/Ubuntu/RHEL OpenJDK packages replace cacerts with the distribution's Mozilla-derived store."))

STORES += [
    dict(id="microsoft-ccadb-20230614-serverauth",
         name="Microsoft root program, roots with Server Authentication EKU (status Included or NotBefore), CCADB report of 2023-06-14",
         family="microsoft", kind="ms_ccadb", gitdir=SRC["tlswg"], ref="e4b2965", path="benchmarks/data/AllMicrosoftRoots.csv",
         source_desc="CCADB report IncludedCACertificateReportForMSFTCSVPEM as committed in tlswg/draft-ietf-tls-cert-abridge commit e4b2965 (2023-06-14), benchmarks/data/AllMicrosoftRoots.csv",
         licence="CCADB data usage terms (public data); repository is an IETF draft workspace",
         approximate=True,
         notes="CCADB's view of the Microsoft program, not Windows' CTL itself. NotBefore-status roots are only trusted for certificates issued before a per-root date that this report does not carry."),
    dict(id="microsoft-ctl-20250417-all",
         name="Windows root CTL (all purposes) as pulled with certutil -syncWithWU, 2025-04-17",
         family="microsoft", kind="git_file", gitdir=SRC["testssl"], ref="3dad99a9", path="etc/Microsoft.pem",
         source_desc="testssl/testssl.sh commit 3dad99a9 (2025-04-17) etc/Microsoft.pem: 'CertUtil -syncWithWU' output converted to PEM by the testssl.sh maintainers, DST Root CA X3 removed",
         licence="certificates are public data; the file sits in a GPLv2 repository (see NOTES.md)",
         approximate=True,
         notes="Superset of what Windows trusts for TLS: it holds every root in the Windows Update CTL, including code-signing-only, e-mail-only and disabled roots; EKU and disable flags live in authroot.stl, which is not here."),
]


def load(store):
    k = store["kind"]
    constraints, meta = {}, {}
    if k == "deb":
        ders = deb_certs(store["path"])
    elif k == "dir":
        ders = dir_certs(store["path"])
    elif k == "gofallback":
        ders, constraints = gofallback_certs(store["path"])
    elif k == "git_dir":
        ders = git_dir_certs(store["gitdir"], store["ref"], store["path"])
    elif k == "git_file":
        ders = git_file_certs(store["gitdir"], store["ref"], store["path"])
    elif k == "ms_ccadb":
        ders, constraints, meta = ms_ccadb_certs(store["gitdir"], store["ref"], store["path"])
    else:
        raise ValueError(k)
    return ders, constraints, meta


def main():
    out = sys.argv[1]
    os.makedirs(os.path.join(out, "certs"), exist_ok=True)
    os.makedirs(os.path.join(out, "stores"), exist_ok=True)
    today = datetime.date.today().isoformat()
    pool = {}
    index = []
    ms_meta = {}
    for s in STORES:
        ders, constraints, meta = load(s)
        ms_meta.update(meta)
        fps = []
        bad = 0
        for d in ders:
            try:
                x509.load_der_x509_certificate(d)
            except Exception:
                bad += 1
                continue
            fp = fp_of(d)
            pool[fp] = d
            fps.append(fp)
        fps = sorted(set(fps))
        bundle = "".join(pem_of(pool[f]) for f in fps)
        entry = {
            "id": s["id"], "name": s["name"], "family": s["family"],
            "source": s["source_desc"],
            "licence": s["licence"],
            "retrieved": today,
            "count": len(fps),
            "duplicates_in_source": len(ders) - bad - len(fps),
            "unparseable_in_source": bad,
            "bundle_sha256": hashlib.sha256(bundle.encode()).hexdigest(),
            "list_file": "stores/%s.txt" % s["id"],
            "approximate": s["approximate"],
            "notes": s["notes"],
        }
        if "gitdir" in s:
            entry["source_commit"] = rev(s["gitdir"], s["ref"])
            entry["source_commit_date"] = commit_date(s["gitdir"], s["ref"])
            entry["source_ref"] = s["ref"]
        for key in ("api_level", "oses"):
            if key in s:
                entry[key] = s[key]
        if constraints:
            entry["constraints"] = constraints
        index.append(entry)
        with open(os.path.join(out, "stores", s["id"] + ".txt"), "w") as f:
            f.write("# %s\n# source: %s\n" % (s["name"], s["source_desc"]))
            for fp in fps:
                f.write(fp + "\n")
        print("%-40s %4d certs%s" % (s["id"], len(fps), " (%d unparseable)" % bad if bad else ""), file=sys.stderr)

    facts = {}
    for fp, der in sorted(pool.items()):
        f = cert_facts(der)
        if fp in ms_meta:
            f["microsoft_ccadb_2023"] = ms_meta[fp]
        facts[fp] = f
        with open(os.path.join(out, "certs", fp + ".pem"), "w") as fh:
            fh.write("# subject: %s\n# sha256: %s\n" % (f["subject"], fp))
            fh.write(pem_of(der))
    # stale pool files (a refresh that dropped a certificate everywhere)
    for n in os.listdir(os.path.join(out, "certs")):
        if n.endswith(".pem") and n[:-4] not in pool:
            os.remove(os.path.join(out, "certs", n))
    json.dump(facts, open(os.path.join(out, "certs.json"), "w"), indent=1, sort_keys=True)
    json.dump({"generated": today, "generator": "tools/build_truststores.py",
               "layout": "certs/<sha256>.pem pool + stores/<id>.txt fingerprint lists; bundle = PEMs concatenated in fingerprint order",
               "stores": index}, open(os.path.join(out, "index.json"), "w"), indent=1)
    print("pool: %d certificates" % len(pool), file=sys.stderr)


if __name__ == "__main__":
    main()
