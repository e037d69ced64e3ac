#!/usr/bin/env python3
"""Assemble profiles.json from
  - src/testssl-decoded.json (testssl.sh captured hellos, decoded to facts by testssl_decode.py),
  - captures/*.hex (hellos captured on this machine on loopback by capture_hello.py),
  - documentation-derived specs written out below (Windows Schannel, OkHttp, Dart/BoringSSL).

Usage: python3 build_profiles.py TESTSSL_GITDIR > ../profiles.json
(TESTSSL_GITDIR is only read for etc/cipher-mapping.txt, to name cipher suites.)
"""
import datetime
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from clienthello import decode  # noqa: E402
from tlsnames import GROUPS, SIGALGS, VERSIONS, hex4, load_cipher_names  # noqa: E402

testssl_git = sys.argv[1]
CIPHER_NAMES = load_cipher_names(subprocess.run(
    ["git", "--git-dir", testssl_git, "show", "HEAD:etc/cipher-mapping.txt"],
    check=True, capture_output=True, text=True).stdout)
BY_NAME = {v: k for k, v in CIPHER_NAMES.items() if isinstance(k, int)}
TESTSSL_COMMIT = subprocess.run(["git", "--git-dir", testssl_git, "rev-parse", "HEAD"],
                                check=True, capture_output=True, text=True).stdout.strip()
TS = {e["name"]: e for e in json.load(open(os.path.join(ROOT, "src", "testssl-decoded.json")))}
TODAY = datetime.date.today().isoformat()
VER_ORDER = ["SSL 2.0", "SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"]
HASH_OF = {"sha1": "SHA-1", "sha224": "SHA-224", "sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512", "md5": "MD5"}


def names(codes, table):
    return [table.get(int(c, 16), c) for c in codes]


def suite_codes(iana_names):
    out = []
    for n in iana_names:
        if n not in BY_NAME:
            raise KeyError(n)
        out.append(hex4(BY_NAME[n]))
    return out


def sig_hashes(sigalgs):
    hs = []
    for c in sigalgs:
        n = SIGALGS.get(int(c, 16), "")
        if n in ("ed25519", "ed448"):
            h = "intrinsic (" + n + ")"
        elif n.startswith("mldsa"):
            h = "intrinsic (" + n + ")"
        else:
            h = next((HASH_OF[k] for k in HASH_OF if n.endswith(k) or ("_" + k + "_") in n), None)
        if h and h not in hs:
            hs.append(h)
    return hs


def from_hello(h, lowest=None, highest=None):
    """Profile fields from a decoded hello. lowest/highest: '0x0301' style
    (testssl's annotation) when the hello alone cannot tell the minimum."""
    p = {}
    offered = h.get("supported_versions")
    if offered:
        vs = [v for v in offered if v in VER_ORDER]
    else:
        vs = [h["legacy_version"]]
    if lowest:
        lo = VERSIONS.get(int(lowest, 16), lowest)
        hi = VERSIONS.get(int(highest, 16), highest) if highest else max(vs, key=VER_ORDER.index)
        if offered:
            lo = min(vs, key=VER_ORDER.index)
            hi = max(vs, key=VER_ORDER.index)
    else:
        lo, hi = min(vs, key=VER_ORDER.index), max(vs, key=VER_ORDER.index)
    p["versions"] = {"min": lo, "max": hi}
    if offered:
        p["versions"]["supported_versions_ext"] = offered
    else:
        p["versions"]["legacy_version"] = h["legacy_version"]
    cs = h.get("cipher_suites", [])
    p["cipher_suites"] = cs
    p["cipher_suite_names"] = names(cs, CIPHER_NAMES)
    if h.get("sslv2_cipher_specs"):
        p["sslv2_cipher_specs"] = h["sslv2_cipher_specs"]
    p["groups"] = h.get("groups", [])
    p["group_names"] = h.get("group_names", [])
    p["signature_algorithms"] = h.get("signature_algorithms", [])
    p["signature_algorithm_names"] = h.get("signature_algorithm_names", [])
    if h.get("signature_algorithms_cert"):
        p["signature_algorithms_cert"] = h["signature_algorithms_cert"]
    if h.get("key_share_groups"):
        p["key_share_groups"] = h["key_share_groups"]
    ext = [e["name"] for e in h.get("extensions", [])]
    p["extensions"] = ext
    p["features"] = {
        "sni": "server_name" in ext,
        "extended_master_secret": "extended_master_secret" in ext,
        "renegotiation_info": "renegotiation_info" in ext or "0x00FF" in cs,
        "session_ticket": "session_ticket" in ext,
        "alpn": h.get("alpn", []),
        "status_request": "status_request" in ext,
        "signed_certificate_timestamp": "signed_certificate_timestamp" in ext,
        "encrypt_then_mac": "encrypt_then_mac" in ext,
        "compress_certificate": "compress_certificate" in ext,
        "ech_grease_or_ech": "encrypted_client_hello" in ext,
        "grease": bool(h.get("grease")),
        "fallback_scsv": "0x5600" in cs,
        "ec_point_formats": h.get("ec_point_formats"),
        "sslv2_record": h.get("record_format") == "SSLv2-compatible",
    }
    if "compression_methods" in h:
        p["features"]["tls_compression"] = any(m != 0 for m in h["compression_methods"])
    p["limits"] = {"accepted_signature_hashes": sig_hashes(p["signature_algorithms"]) or None}
    return p


def testssl_profile(pid, tsname, **kw):
    e = TS[tsname]
    t, h = e["testssl"], e["hello"]
    p = {"id": pid}
    p.update(kw.pop("head"))
    body = from_hello(h, t["lowest_protocol"], t["highest_protocol"])
    p.update(body)
    lim = p["limits"]
    lim["requires_sha2"] = t["requiresSha2"]
    for src, dst in (("minRsaBits", "min_rsa_bits"), ("maxRsaBits", "max_rsa_bits"), ("minDhBits", "min_dh_bits"),
                     ("maxDhBits", "max_dh_bits"), ("minEcdsaBits", "min_ecdsa_bits")):
        lim[dst] = None if t[src] == -1 else t[src]
    lim["source"] = "testssl.sh annotations for this client (-1 = unknown, written as null)"
    fa = e["provenance"]["hello_first_added"] or {}
    ssl_labs = fa.get("date") == "2017-08-30" and not t.get("ja4")
    p["source"] = {
        "type": "captured-clienthello",
        "captured_by": "Qualys SSL Labs client list (imported into testssl.sh)" if ssl_labs else "testssl.sh maintainers (Wireshark capture)",
        "repo": "testssl/testssl.sh", "path": "etc/client-simulation.txt",
        "commit": TESTSSL_COMMIT, "line": e["provenance"]["hello_line"],
        "testssl_name": tsname, "testssl_short": e["short"],
        "hello_added_commit": fa.get("commit"),
        "sni_in_capture": h.get("sni_in_capture"),
    }
    p["date"] = fa.get("date")
    p["date_meaning"] = ("date the hello entered etc/client-simulation.txt; SSL Labs captured it earlier (2013-2017), exact date unknown"
                         if ssl_labs else "date the capture was committed to testssl.sh")
    p["testssl_current_flag"] = t["current"]
    p.update(kw)
    return p


def capture_profile(pid, capfile, head, **kw):
    hexs = open(os.path.join(ROOT, "captures", capfile)).read().strip()
    h = decode(bytes.fromhex(hexs))
    p = {"id": pid}
    p.update(head)
    p.update(from_hello(h))
    p["limits"]["source"] = "derived from the captured signature_algorithms only"
    p["source"] = {"type": "captured-clienthello", "captured_by": "this research, on loopback (tools/capture_hello.py)",
                   "path": "captures/" + capfile, "sni_in_capture": h.get("sni_in_capture")}
    p["date"] = TODAY
    p["date_meaning"] = "capture date"
    p.update(kw)
    return p


def doc_profile(pid, head, versions, suites, groups, sigalgs, extensions, features, source, date, **kw):
    p = {"id": pid}
    p.update(head)
    p["versions"] = versions
    p["cipher_suites"] = suite_codes(suites)
    p["cipher_suite_names"] = suites
    p["groups"] = [hex4(g) for g in groups]
    p["group_names"] = [GROUPS[g] for g in groups]
    p["signature_algorithms"] = [hex4(s) for s in sigalgs]
    p["signature_algorithm_names"] = [SIGALGS[s] for s in sigalgs]
    p["extensions"] = extensions
    p["features"] = features
    p["limits"] = {"accepted_signature_hashes": sig_hashes(p["signature_algorithms"]) or None}
    p["source"] = source
    p["date"] = date
    p["date_meaning"] = "publication/commit date of the documentation or source used"
    p.update(kw)
    return p


def head(name, platform, kind, trust, **extra):
    d = {"name": name, "platform": platform, "client_kind": kind, "trust_store": trust}
    d.update(extra)
    return d


# ---------------------------------------------------------------- common notes
ANDROID_VERIFY = {
    "aia_fetching": False,
    "user_added_cas_trusted": "only if the app opts in via network_security_config (apps targeting API 24+ trust system CAs only)",
    "notes": "Platform TrustManager (Conscrypt TrustManagerImpl) builds the chain from the served certificates and the system store; it does not fetch missing intermediates.",
    "confidence": "behaviour as commonly documented for Android's platform stack; not re-verified from a primary source in this research",
}
CRONET_NOTE = ("The testssl.sh capture for this Android version came from a Google app (SNI %s) and has the same cipher/group/"
               "signature lists as Chromium (GREASE, ALPS, ECH GREASE, X25519MLKEM768): it is Cronet/Chromium's stack, not the "
               "platform's Conscrypt. The platform hello is approximated from the nearest platform-looking capture.")

P = []

# ---------------------------------------------------------------- Android
def android(pid, api, release, tsname, trust, approx, why, extra_notes=None):
    P.append(testssl_profile(pid, tsname,
        head=head("Android %s (API %d) platform TLS stack" % (release, api), "android", "os-stack", trust,
                  api_level=api, trust_store_note="Android system store for this API level (see truststores/index.json)"),
        verification=ANDROID_VERIFY, approximate=approx, approximate_why=why, notes=extra_notes))

android("android-19", 19, "4.4", "Android 4.4.2", "android-19", True,
        "The SSL Labs hello (SNI www.ssllabs.com, likely the stock browser) offers TLS 1.2; per Android's SSLSocket reference, TLS 1.1/1.2 are supported from API 16 but enabled by default only from API 20, so an app using the platform SSLSocket on API 19 offers TLS 1.0 unless it enables more.",
        "OpenSSL-based platform stack (pre-BoringSSL).")
android("android-21", 21, "5.0", "Android 5.0.0", "android-21", False, None, "BoringSSL-based Conscrypt; TLS 1.2 enabled by default from API 20/21.")
android("android-23", 23, "6.0", "Android 6.0", "android-23", False, None, None)
android("android-24", 24, "7.0", "Android 7.0 (native)", "android-24", False, None,
        "Only secp256r1 offered. Does not trust ISRG Root X1 (Let's Encrypt) - see android-25.")
android("android-25", 25, "7.1", "Android 7.0 (native)", "android-25", True,
        "No capture for 7.1; hello taken from the Android 7.0 capture (same major Conscrypt generation). The trust store is the 7.1 one.",
        "API 25 is the first to trust ISRG Root X1.")
android("android-26", 26, "8.0", "Android 8.1 (native)", "android-26", True,
        "No capture for 8.0; hello taken from the Android 8.1 (API 27) capture.", None)
android("android-27", 27, "8.1", "Android 8.1 (native)", "android-27", False, None, None)
android("android-28", 28, "9", "Android 8.1 (native)", "android-28", True,
        (CRONET_NOTE % "lh3.googleusercontent.com") + " Android 9's platform stack did not enable TLS 1.3 by default, so the 8.1 platform hello is used.", None)
android("android-29", 29, "10", "Android 11/12 (native)", "android-29", True,
        (CRONET_NOTE % "kidsmanagement-pa.googleapis.com") + " Android 10 enabled TLS 1.3 in Conscrypt; the Android 11/12 platform capture is used.", None)
android("android-30", 30, "11", "Android 11/12 (native)", "android-30", False, None, "Capture from F-Droid (platform stack).")
android("android-32", 32, "12/12L", "Android 11/12 (native)", "android-32", False, None, "testssl.sh found Android 11 and 12 hellos identical.")
android("android-33", 33, "13", "Android 13/14 (native)", "android-33", False, None,
        "Capture SNI play.googleapis.com but platform-looking (no GREASE/ALPS); TLS 1.2-1.3 only in this capture.")
android("android-34", 34, "14", "Android 13/14 (native)", "android-34", True,
        "Hello captured on Android 13/14 (testssl.sh found them identical); trust store is an AOSP-main copy of Jan 2024 and on Android 14+ the store is updated through Mainline (Conscrypt APEX).", None)
android("android-35", 35, "15", "Android 13/14 (native)", "android-35", True,
        (CRONET_NOTE % "play-fe.googleapis.com") + " The Android 13/14 platform capture is used; whether Android 15's Conscrypt offers X25519MLKEM768 is not established here. Apps targeting API 35 cannot use TLS 1.0/1.1.", None)
android("android-36", 36, "16", "Android 13/14 (native)", "android-36", True,
        (CRONET_NOTE % "testssl.sh") + " The Android 13/14 platform capture is used.", None)

P.append(testssl_profile("android-cronet-2025", "Android 15/16 (native)",
    head=head("Android 15/16, Google Play app traffic (Cronet/Chromium network stack)", "android", "library", "android-35",
              trust_store_note="Cronet on Android verifies with the platform's system store"),
    verification={"aia_fetching": True, "notes": "Chromium's verifier; AIA fetching is a Chromium feature (not re-verified here)."},
    approximate=False, approximate_why=None,
    notes="Identical cipher/group/signature lists to Chromium 137. Use for apps that embed Cronet (Google apps, cronet_http)."))

# ---------------------------------------------------------------- Apple
APPLE_VERIFY = {
    "aia_fetching": True,
    "ats": "applies to apps using URLSession/Network.framework (not to Safari page loads); rules in ats.json",
    "certificate_requirements": "iOS 13+/macOS 10.15+: RSA >= 2048 for leaf and issuing CAs, SHA-2 signatures, DNS name in SAN, EKU serverAuth and <= 825 days for certificates issued after 2019-07-01 (support.apple.com/103769, formerly HT210176); certificates issued from 2020-09-01 must be valid <= 398 days (Apple's published limit); Certificate Transparency per Apple's CT policy",
    "confidence": "certificate requirements from Apple's support article; AIA fetching is well-known platform behaviour, not re-verified here",
}


def apple(pid, name, platform, tsname, trust, approx, why, notes=None, rsa2048=True):
    p = testssl_profile(pid, tsname, head=head(name, platform, "os-stack", trust),
                        verification=APPLE_VERIFY, approximate=approx, approximate_why=why, notes=notes)
    if rsa2048:
        p["limits"]["min_rsa_bits"] = 2048
        p["limits"]["requires_sha2_certificates"] = True
        p["limits"]["source"] += "; min_rsa_bits/requires_sha2_certificates from Apple's iOS 13/macOS 10.15 certificate requirements"
    P.append(p)


apple("ios-12", "iOS 12 (Safari 12.1 on iOS 12.2)", "ios", "Safari 12.1 (iOS 12.2)", "apple-2018121000", True,
      "Trust store: the 2018121000 asset shipped from iOS 12.2 (mapping by tag dates).", rsa2048=False)
apple("ios-15", "iOS 15 (approximated by Safari 15.4 on macOS 12.3.1)", "ios", "Safari 15.4 (macOS 12.3.1)", "apple-2021072200", True,
      "No iOS 15 capture; macOS 12.3 Safari shares the TLS stack generation with iOS 15.4.")
apple("ios-17", "iOS 17 (approximated by Safari 18.4)", "ios", "Safari 18.4 (iOS 18.4)", "apple-2023071300", True,
      "No iOS 16/17 capture; the iOS 18.4 hello (no post-quantum group) is used. Trust store 2023071300 shipped with iOS 17.0.")
apple("ios-18", "iOS 18.4 (Safari 18.4)", "ios", "Safari 18.4 (iOS 18.4)", "apple-2025031200", True,
      "Trust-store mapping to 18.4 inferred from tag dates.")
apple("ios-26", "iOS/iPadOS 26.4 (Safari 26.4)", "ios", "Safari 26.4 (iOS+iPadOS 26.4)", "apple-2025072000", True,
      "Trust-store mapping inferred from tag dates; OTA trust-store updates may be newer.")
apple("macos-10.13", "macOS 10.13.6 (Safari 12.1)", "macos", "Safari 12.1 (macOS 10.13.6)", "apple-2018071800", True,
      "Trust store 2018071800 is the nearest snapshot here (10.13.6 shipped July 2018).", rsa2048=False)
apple("macos-10.14", "macOS 10.14.6 (Safari 13.0)", "macos", "Safari 13.0 (macOS 10.14.6)", "apple-2018121000", True,
      "Trust-store mapping inferred from tag dates.", rsa2048=False)
apple("macos-12", "macOS 12.3 (Safari 15.4)", "macos", "Safari 15.4 (macOS 12.3.1)", "apple-2021072200", True,
      "macOS 12.3 may carry the 2022012800 asset (not extracted); 2021072200 is macOS 12.0's.")
apple("macos-15", "macOS 15.4 (Safari 18.4)", "macos", "Safari 18.4 (macOS 15.4/iOS 18.4)", "apple-2025031200", True,
      "Trust-store mapping inferred from tag dates.")
apple("macos-26", "macOS 26.4 (Safari 26.4)", "macos", "Safari 26.4 (macOS/iOS/iPadOS 26.4)", "apple-2025072000", True,
      "Trust-store mapping inferred from tag dates.")
apple("safari-current", "Safari 26.4 (macOS/iOS/iPadOS 26.4)", "macos+ios", "Safari 26.4 (macOS/iOS/iPadOS 26.4)", "apple-2025072000", True,
      "Trust-store mapping inferred from tag dates.", notes="Current Safari per testssl.sh (May 2026 capture).")

# ---------------------------------------------------------------- Java
JAVA_VERIFY_17 = {
    "aia_fetching": False,
    "aia_note": "off unless -Dcom.sun.security.enableAIAcaIssuers=true",
    "jdk.certpath.disabledAlgorithms": "MD2, MD5, SHA1 jdkCA & usage TLSServer, RSA keySize < 1024, DSA keySize < 1024, EC keySize < 224, SHA1 usage SignedJAR & denyAfter 2019-01-01",
    "jdk.tls.disabledAlgorithms": "SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4, DES, MD5withRSA, DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, NULL, ECDH",
    "source": "conf/security/java.security of OpenJDK 17.0.15 (Debian package 17.0.15+6-1~deb12u1) on this machine",
}
JAVA_VERIFY_25 = dict(JAVA_VERIFY_17)
JAVA_VERIFY_25["jdk.tls.disabledAlgorithms"] = ("SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4, DES, MD5withRSA, DH keySize < 1024, EC keySize < 224, "
                                                "3DES_EDE_CBC, anon, NULL, ECDH, TLS_RSA_*, rsa_pkcs1_sha1 usage HandshakeSignature, "
                                                "ecdsa_sha1 usage HandshakeSignature, dsa_sha1 usage HandshakeSignature")
JAVA_VERIFY_25["source"] = "conf/security/java.security of Temurin 25.0.3+9 on this machine"


def java_limits(p, src):
    p["limits"].update({"min_rsa_bits": 1024, "min_dh_bits": 1024, "min_ecdsa_bits": 224, "requires_sha2_certificates": "SHA-1 rejected for chains to JDK-shipped roots (SHA1 jdkCA & usage TLSServer)"})
    p["limits"]["source"] += "; RSA/DH/EC minima from " + src


p = testssl_profile("java-8", "Java 8u442 (OpenJDK)", head=head("Java 8 (OpenJDK 8u442) JSSE", "jvm", "runtime", "java-20251101",
                    trust_store_note="upstream JDK cacerts; distribution packages (Debian/RHEL) substitute the OS's Mozilla-derived store"),
                    verification=JAVA_VERIFY_17, approximate=True,
                    approximate_why="java.security limits quoted from JDK 17 (8u updates carry the same TLS/certpath restrictions since 8u291); trust store is the Nov-2025 JDK snapshot, 8u442 is Jan 2025.")
java_limits(p, "JDK 17's java.security (assumed equal for 8u442)")
P.append(p)
p = testssl_profile("java-8u161", "Java 8u161", head=head("Java 8 before 8u261 (Oracle 8u161) JSSE: no TLS 1.3", "jvm", "runtime", "java-20200110",
                    trust_store_note="upstream JDK cacerts of the time; java-20200110 is the oldest snapshot held"),
                    verification=JAVA_VERIFY_17, approximate=True,
                    approximate_why="Stands for every Java 8 before 8u261 (July 2020), which has no TLS 1.3 at all; 8u261-8u331 have it but off by default in clients. Hello captured by SSL Labs; java.security limits quoted from JDK 17 (8u161 allowed SHA-1 chains and 3DES); trust store from Jan 2020.")
P.append(p)
p = testssl_profile("java-11", "Java 11.0.2 (OpenJDK)", head=head("Java 11 (OpenJDK 11.0.2) JSSE", "jvm", "runtime", "java-20200110"),
                    verification={"aia_fetching": False, "aia_note": "off unless -Dcom.sun.security.enableAIAcaIssuers=true"},
                    approximate=True,
                    approximate_why="11.0.2 (Jan 2019) still offered TLS 1.0/1.1; later 11.0.x updates (11.0.11+) disable them. Trust store is the Jan-2020 JDK snapshot.")
P.append(p)
p = testssl_profile("java-17", "Java 17.0.3/21.0.6 (OpenJDK)", head=head("Java 17 (OpenJDK 17.0.3) JSSE", "jvm", "runtime", "java-20220701"),
                    verification=JAVA_VERIFY_17, approximate=False, approximate_why=None,
                    notes="Trust store java-20220701 was exported from Oracle jdk-17.0.3.1.")
java_limits(p, "JDK 17's java.security")
P.append(p)
p = testssl_profile("java-21", "Java 21.0.6 (OpenJDK)", head=head("Java 21 (OpenJDK 21.0.6) JSSE", "jvm", "runtime", "java-20251101"),
                    verification=JAVA_VERIFY_17, approximate=True,
                    approximate_why="java.security limits quoted from JDK 17 (21.0.x adds nothing that changes these minima as far as checked); trust store from Nov 2025.")
java_limits(p, "JDK 17's java.security (assumed for 21)")
P.append(p)
p = capture_profile("java-17-debian", "java-17.0.15-debian.hex",
                    head("Java 17.0.15 (Debian OpenJDK package) JSSE, default HttpsURLConnection", "jvm", "runtime", "mozilla-debian-20230311",
                         trust_store_note="Debian's /etc/ssl/certs/java/cacerts (ca-certificates-java 20230710~deb12u1, built from ca-certificates 20230311)"),
                    verification=JAVA_VERIFY_17, approximate=False, approximate_why=None)
java_limits(p, "JDK 17's java.security on this machine")
P.append(p)
p = capture_profile("java-25", "java-25.0.3-temurin.hex",
                    head("Java 25.0.3 (Temurin) JSSE, default HttpsURLConnection", "jvm", "runtime", "mozilla-debian-20230311",
                         trust_store_note="this installation's cacerts is a symlink to Debian's /etc/ssl/certs/java/cacerts; a Temurin tarball ships the upstream cacerts (closest here: java-20251101)"),
                    verification=JAVA_VERIFY_25, approximate=False, approximate_why=None)
java_limits(p, "Temurin 25's java.security on this machine")
P.append(p)

# ---------------------------------------------------------------- OkHttp (documented ConnectionSpec)
OKHTTP_APPROVED = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                   "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                   "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                   "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                   "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                   "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
                   "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"]
OKHTTP_RULE = {
    "derived_from_platform": True,
    "rule": "offered suites = the platform socket's enabled suites that are in cipher_suites, in the PLATFORM's order (ConnectionSpec.supportedSpec intersects sslSocket.enabledCipherSuites with the spec); versions = platform's enabled ∩ versions; groups, signature algorithms and extensions are the platform's; ALPN h2,http/1.1; TLS_FALLBACK_SCSV added only on a fallback retry (COMPATIBLE_TLS)",
    "default_connection_specs": ["MODERN_TLS", "CLEARTEXT"],
    "combine_with": "android-NN profiles on Android, java-NN profiles on the JVM",
}
for pid, tag, path, vers, approved, date, note in [
    ("okhttp-3", "parent-3.12.13", "okhttp/src/main/java/okhttp3/ConnectionSpec.java", ["TLS 1.3", "TLS 1.2", "TLS 1.1", "TLS 1.0"],
     ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256"] + OKHTTP_APPROVED[3:],
     "2021-01-30", "3.12.x is the branch that still supports Android 2.3+/Java 7 and keeps TLS 1.0/1.1 in MODERN_TLS. OkHttp 3.13-3.14.x (Android 5+/Java 8) use TLS 1.2-1.3 in MODERN_TLS and the okhttp-4 suite list."),
    ("okhttp-4", "parent-4.12.0", "okhttp/src/main/kotlin/okhttp3/ConnectionSpec.kt", ["TLS 1.3", "TLS 1.2"], OKHTTP_APPROVED, "2023-10-16",
     "Same MODERN_TLS in 3.14.9 (2020-05-17) and 4.x; OkHttp 5 keeps it (checked at the repository head of 2026-07-24)."),
]:
    if pid == "okhttp-3":
        approved = [n if n != "TLS_AES_128_CCM_8_SHA256" else "TLS_AES_128_CCM_8_SHA256" for n in approved]
    p = doc_profile(pid, head("OkHttp %s (MODERN_TLS ConnectionSpec) on the platform TLS stack" % pid[-1], "android+jvm", "library", "platform",
                              trust_store_note="the platform default TrustManager: android-NN on Android, the JDK's cacerts on the JVM"),
                    {"min": vers[-1], "max": vers[0], "allowed": vers}, approved, [], [], ["(platform's)"],
                    {"alpn": ["h2", "http/1.1"], "sni": True, "note": "other extensions are the platform's"},
                    {"type": "source-code", "repo": "square/okhttp", "ref": tag, "path": path,
                     "what": "ConnectionSpec.APPROVED_CIPHER_SUITES and MODERN_TLS; OkHttpClient DEFAULT_CONNECTION_SPECS / DEFAULT_PROTOCOLS"},
                    date, okhttp_rule=OKHTTP_RULE, approximate=True,
                    approximate_why="A filter over the platform's hello, not a hello of its own: combine with the platform profile.", notes=note,
                    verification={"aia_fetching": False, "notes": "platform TrustManager; OkHttp adds hostname verification and optional CertificatePinner"})
    P.append(p)

# ---------------------------------------------------------------- Dart / Flutter (BoringSSL defaults, from source)
DART_SUITES = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
               "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
               "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
               "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
               "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
               "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
               "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
               "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"]
P.append(doc_profile("dart", head("Dart dart:io SecureSocket / HttpClient (also Flutter's default HTTP client), BoringSSL", "dart", "runtime", "platform",
                                  trust_store_by_platform={
                                      "android": "android-NN: Dart loads /system/etc/security/cacerts only (the system-partition copy; on Android 14+ not the Mainline-updated /apex/com.android.conscrypt/cacerts, and no user CAs)",
                                      "ios/macos": "apple-* via SecTrust (runtime/bin/security_context_macos.cc; iOS likewise uses the platform trust evaluation)",
                                      "linux": "first of /etc/ssl/certs/ca-certificates.crt, /etc/pki/tls/certs/ca-bundle.crt, ... (mozilla-debian-* on Debian), else compiled-in roots",
                                      "windows": "Windows system store (microsoft-*)"}),
                     {"min": "TLS 1.2", "max": "TLS 1.3"}, DART_SUITES, [0x001D, 0x0017, 0x0018],
                     [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201],
                     ["server_name", "extended_master_secret", "renegotiation_info", "supported_groups", "ec_point_formats",
                      "session_ticket", "application_layer_protocol_negotiation (when protocols set)", "signature_algorithms",
                      "key_share", "psk_key_exchange_modes", "supported_versions"],
                     {"sni": True, "alpn": ["http/1.1"], "note": "extension list and order are BoringSSL's defaults, not captured"},
                     {"type": "source-code",
                      "what": "Dart: SSL_CTX_new(TLS_method()), SSL_CTX_set_min_proto_version(TLS1_2_VERSION), SSL_CTX_set_cipher_list('HIGH:MEDIUM'); X509_V_FLAG_PARTIAL_CHAIN|TRUSTED_FIRST; BoringSSL: cipher order from ssl_create_cipher_list (AES-hardware order), 'HIGH' = all non-deprecated suites, 'MEDIUM' unknown alias ignored, PSK suites not sent without a PSK callback, 3DES and CBC-SHA256 suites deprecated; default groups and verify sigalgs from ssl/extensions.cc",
                      "files": [{"repo": "dart-lang/sdk", "path": "runtime/bin/security_context.cc", "commit": "039aef728a76f06ffd18497a6f6554688201bfe0"},
                                {"repo": "dart-lang/sdk", "path": "runtime/bin/secure_socket_filter.cc", "commit": "0404a126e30672bc3f5d775fdfa1c277ec308725"},
                                {"repo": "dart-lang/sdk", "path": "runtime/bin/security_context_linux.cc", "commit": "11c7179359bf9e97f0afc6440e0a37923da71992"},
                                {"repo": "dart-lang/sdk", "path": "runtime/bin/security_context_macos.cc", "commit": "034fce1e3945b96f473435effd7ab805d91637e8"},
                                {"repo": "dart-lang/sdk", "path": "DEPS", "commit": "000149860ffc8a60dec57d003ed2a9430ce7567e", "note": "boringssl_rev d24a38200fef19150eef00cad35b138936c08767 (mid-2024, Dart 3.5 dev)"},
                                {"repo": "google/boringssl", "path": "ssl/ssl_cipher.cc", "commit": "66da97b9420113c1cab4ca567b4f4d6f2aa2178c"}]},
                     "2024-07-01", approximate=True,
                     approximate_why="Derived from source, not captured. Groups and signature algorithms depend on the BoringSSL revision Dart pins: revisions of 2024 default to x25519/P-256/P-384; current BoringSSL defaults start with X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024 and add ML-DSA and ecdsa_secp521r1_sha512 to the signature list. Suite order shown is for CPUs with AES hardware (ChaCha first otherwise). Date is the DEPS snapshot's era.",
                     verification={"aia_fetching": False, "partial_chain": True,
                                   "notes": "X509_V_FLAG_PARTIAL_CHAIN: a trusted intermediate in the store is accepted as an anchor. No AIA fetching (BoringSSL verifier) except where the platform verifier is used (Apple)."}))

# ---------------------------------------------------------------- curl / OpenSSL
p = testssl_profile("curl-openssl-1.1.1", "OpenSSL 1.1.1d (Debian)",
                    head=head("curl with OpenSSL 1.1.1 (Debian 10), approximated by openssl s_client 1.1.1d", "linux", "library", "mozilla-debian-20230311",
                              trust_store_note="curl uses the OS bundle (/etc/ssl/certs/ca-certificates.crt); Debian 10's was older than this snapshot"),
                    verification={"aia_fetching": False, "partial_chain": "OpenSSL default: no (X509_V_FLAG_PARTIAL_CHAIN off)"},
                    approximate=True,
                    approximate_why="s_client hello, not curl's: curl adds ALPN (h2, http/1.1 when built with nghttp2) and does not send session_ticket differently; compare curl-openssl-3 where both were captured (only ALPN and post_handshake_auth differ). Debian 10 ran SECLEVEL=2 and MinProtocol=TLSv1.2 by default in its openssl.cnf.")
p["features"]["alpn"] = ["h2", "http/1.1"]
p["features"]["alpn_note"] = "added: curl sends ALPN; the s_client capture did not"
P.append(p)
p = capture_profile("curl-openssl-3", "curl-7.88.1-openssl-3.0.19.hex",
                    head("curl 7.88.1 with OpenSSL 3.0.19 (Debian 12)", "linux", "library", "mozilla-debian-20230311",
                         trust_store_note="Debian 12 system bundle; refreshed by ca-certificates updates (mozilla-debian-20250419 after deb12u2)"),
                    verification={"aia_fetching": False, "openssl_security_level": 2,
                                  "notes": "Debian builds OpenSSL with security level 2 (checked: SSLContext.security_level == 2 with this OpenSSL): RSA/DH keys >= 2048, ECC >= 224, no SHA-1 signatures in the chain except for roots"},
                    approximate=False, approximate_why=None)
p["limits"].update({"min_rsa_bits": 2048, "min_dh_bits": 2048, "min_ecdsa_bits": 224})
p["limits"]["source"] += "; minima from OpenSSL security level 2"
p["versions"]["min"] = "TLS 1.2"
p["versions"]["min_note"] = ("the hello offers TLS 1.0 and 1.1, but OpenSSL 3 at security level 1 or more refuses the SHA-1/MD5 "
                             "ServerKeyExchange signatures those versions need ('legacy sigalg disallowed or unsupported', seen here "
                             "against the lab's tls10-only endpoint), so handshakes complete only with TLS 1.2 and 1.3")
P.append(p)
P.append(testssl_profile("curl-openssl-3.5", "OpenSSL 3.5.0 (git)",
                         head=head("OpenSSL 3.5 client (s_client), post-quantum default groups", "linux", "library", "mozilla-gofallback-20261030"),
                         verification={"aia_fetching": False}, approximate=True,
                         approximate_why="s_client capture; curl adds ALPN. Upstream build (SECLEVEL 1 unless the distribution changes it)."))

# ---------------------------------------------------------------- browsers
P.append(testssl_profile("chrome-current", "Chromium 137 (Win 11)",
                         head=head("Chrome/Chromium 137 (Windows 11)", "windows+macos+linux+android", "browser", "mozilla-gofallback-20261030",
                                   trust_store_note="Chrome uses the Chrome Root Store (chromium net/data/ssl/chrome_root_store), not extracted here; Mozilla's store is the closest available"),
                         verification={"aia_fetching": True, "notes": "Chromium's verifier fetches missing intermediates via AIA (well-known behaviour, not re-verified here)"},
                         approximate=True, approximate_why="Hello is a real capture (Apr 2025); trust store is a stand-in for the Chrome Root Store."))
P.append(testssl_profile("edge-current", "Edge 133 Win 11 23H2",
                         head=head("Microsoft Edge 133 (Windows 11 23H2)", "windows", "browser", "mozilla-gofallback-20261030",
                                   trust_store_note="Edge (Chromium-based) root store not extracted; stand-in"),
                         verification={"aia_fetching": True}, approximate=True, approximate_why="Trust store is a stand-in."))
P.append(testssl_profile("firefox-current", "Firefox 137 (Win 11)",
                         head=head("Firefox 137 (Windows 11)", "windows+macos+linux", "browser", "mozilla-gofallback-20261030"),
                         verification={"aia_fetching": False, "intermediate_preloading": True,
                                       "notes": "Firefox does not fetch AIA; it preloads CCADB-disclosed intermediates (remote settings security-state/intermediates) and caches intermediates it has seen. See intermediates.md."},
                         approximate=False, approximate_why=None))

# ---------------------------------------------------------------- Windows Schannel
WIN10_SUITES = ["TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256",
                "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"]
WIN_SIGALGS_EDGE17 = [0x0401, 0x0501, 0x0201, 0x0403, 0x0503, 0x0203, 0x0202, 0x0601, 0x0603]
WIN_VERIFY = {"aia_fetching": True, "notes": "CryptoAPI chain engine fetches missing issuers via AIA and can download roots on demand from Windows Update (automatic root update), so an 'unknown' root in the static CTL snapshot may still be trusted on a connected machine",
              "confidence": "well-known platform behaviour; not re-verified from a primary source here"}
P.append(doc_profile("windows-10", head("Windows 10 22H2 Schannel (default settings)", "windows", "os-stack", "microsoft-ctl-20250417-all",
                                        trust_store_note="Windows root CTL; microsoft-ccadb-20230614-serverauth is the TLS-only view"),
                     {"min": "TLS 1.0", "max": "TLS 1.2", "note": "TLS 1.3 is not enabled for Schannel clients on Windows 10"},
                     WIN10_SUITES, [0x001D, 0x0017, 0x0018], WIN_SIGALGS_EDGE17,
                     ["server_name", "status_request", "supported_groups", "ec_point_formats", "signature_algorithms", "session_ticket",
                      "application_layer_protocol_negotiation (if the app sets it)", "extended_master_secret", "renegotiation_info"],
                     {"sni": True, "extended_master_secret": True, "renegotiation_info": True, "status_request": True, "session_ticket": True,
                      "note": "extension list from the Edge 17 (EdgeHTML/Schannel) capture of 2019"},
                     {"type": "documentation",
                      "cipher_suites": {"url": "https://learn.microsoft.com/windows/win32/secauthn/tls-cipher-suites-in-windows-10-v22H2",
                                        "repo": "MicrosoftDocs/win32", "path": "desktop-src/SecAuthN/tls-cipher-suites-in-windows-10-v22H2.md",
                                        "commit": "4d08f848b0ed8111b633b252f046b3615f63d610", "ms.date": "2024-06-26"},
                      "groups": {"url": "https://learn.microsoft.com/windows/win32/secauthn/tls-elliptic-curves-in-windows-10-1607-and-later"},
                      "signature_algorithms": "Edge 17 (Win 10) capture in testssl.sh (2019-04-23), not documented by Microsoft"},
                     "2024-06-26", approximate=True,
                     approximate_why="Built from Microsoft's documented default order (NULL suites omitted: used only on explicit request); signature algorithms and extensions from a 2019 EdgeHTML capture. Group policy or SCH_USE_STRONG_CRYPTO change the list.",
                     verification=WIN_VERIFY))
WIN11_SUITES = ["TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"] + WIN10_SUITES
P.append(doc_profile("windows-11", head("Windows 11 22H2+ Schannel (default settings)", "windows", "os-stack", "microsoft-ctl-20250417-all",
                                        trust_store_note="Windows root CTL; microsoft-ccadb-20230614-serverauth is the TLS-only view"),
                     {"min": "TLS 1.0", "max": "TLS 1.3",
                      "note": "per Microsoft's Windows 11 v22H2+ suite table; Microsoft has announced disabling TLS 1.0/1.1 by default in newer Windows 11 builds - check the build"},
                     WIN11_SUITES, [0x001D, 0x0017, 0x0018], [0x0804, 0x0805, 0x0806] + WIN_SIGALGS_EDGE17,
                     ["server_name", "status_request", "supported_groups", "ec_point_formats", "signature_algorithms", "session_ticket",
                      "application_layer_protocol_negotiation (if the app sets it)", "extended_master_secret", "renegotiation_info",
                      "supported_versions", "key_share", "psk_key_exchange_modes"],
                     {"sni": True, "extended_master_secret": True, "renegotiation_info": True, "status_request": True, "session_ticket": True,
                      "note": "extensions assumed: Windows 10's plus the TLS 1.3 ones"},
                     {"type": "documentation",
                      "cipher_suites": {"url": "https://learn.microsoft.com/windows/win32/secauthn/tls-cipher-suites-in-windows-11-v22H2",
                                        "repo": "MicrosoftDocs/win32", "path": "desktop-src/SecAuthN/tls-cipher-suites-in-windows-11-v22H2.md",
                                        "commit": "6d6d67e91414eaab6e866e17d4be5b75378edf16", "ms.date": "2024-11-13"},
                      "groups": {"url": "https://learn.microsoft.com/windows/win32/secauthn/tls-elliptic-curves-in-windows-10-1607-and-later"},
                      "signature_algorithms": "assumed: Edge 17 list plus RSA-PSS (required for TLS 1.3); not documented"},
                     "2024-11-13", approximate=True,
                     approximate_why="No Schannel capture for Windows 11; suites/groups from documentation, signature algorithms and extensions assumed. TLS_CHACHA20_POLY1305_SHA256 is supported but not enabled by default.",
                     verification=WIN_VERIFY))
P.append(testssl_profile("windows-10-ie11-2015", "IE 11 Win 10",
                         head=head("Internet Explorer 11 on Windows 10 (Schannel, SSL Labs capture)", "windows", "browser", "microsoft-ctl-20250417-all"),
                         verification=WIN_VERIFY, approximate=True,
                         approximate_why="Early Windows 10 (SSL Labs era): DHE and 3DES still enabled; kept for history. Trust store is a 2025 snapshot."))

# ---------------------------------------------------------------- extra runtimes captured here
P.append(capture_profile("go-1.26", "go-go1.26.8.hex", head("Go 1.26.8 crypto/tls (net/http default client)", "any", "runtime", "mozilla-debian-20230311",
                         trust_store_note="Go on Linux reads the system bundle; golang.org/x/crypto/x509roots/fallback (mozilla-gofallback-*) when imported and no system roots exist"),
                         verification={"aia_fetching": False}, approximate=False, approximate_why=None,
                         notes="The stack tlsaudit itself is built on (go.mod says go 1.27.3; captured with the go1.26.8 toolchain on this machine)."))
P.append(capture_profile("python-3.11-openssl-3.0", "python-3.11.7-ssl-openssl-3.0.19.hex",
                         head("Python 3.11 ssl.create_default_context() with OpenSSL 3.0.19", "linux", "runtime", "mozilla-debian-20230311"),
                         verification={"aia_fetching": False, "openssl_security_level": 2}, approximate=False, approximate_why=None))
P.append(capture_profile("node-20", "node-v20.20.2.hex",
                         head("Node.js 20.20.2 https (bundled OpenSSL 3.0.19)", "any", "runtime", "mozilla-gofallback-20261030",
                              trust_store_note="Node uses its compiled-in Mozilla bundle unless --use-openssl-ca/--use-system-ca"),
                         verification={"aia_fetching": False}, approximate=False, approximate_why=None))

for p in P:
    for k in ("notes", "approximate_why"):
        if p.get(k) is None:
            p.pop(k, None)
json.dump({"generated": TODAY, "generator": "tools/build_profiles.py",
           "schema": "see README.md in this folder", "profiles": P}, sys.stdout, indent=1, ensure_ascii=False)
print(file=sys.stdout)
