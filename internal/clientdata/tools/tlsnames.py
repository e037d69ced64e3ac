"""IANA TLS registry names used by the decoding tools (facts from the IANA
"TLS Parameters" registries: cipher suites, supported groups, signature
schemes, extension types). Cipher suite names are read at run time from a
mapping file when one is given (see load_cipher_names); the small tables below
cover groups, signature schemes and extensions, which are short.
"""
import re

GROUPS = {
    0x0001: "sect163k1", 0x0002: "sect163r1", 0x0003: "sect163r2",
    0x0004: "sect193r1", 0x0005: "sect193r2", 0x0006: "sect233k1",
    0x0007: "sect233r1", 0x0008: "sect239k1", 0x0009: "sect283k1",
    0x000A: "sect283r1", 0x000B: "sect409k1", 0x000C: "sect409r1",
    0x000D: "sect571k1", 0x000E: "sect571r1", 0x000F: "secp160k1",
    0x0010: "secp160r1", 0x0011: "secp160r2", 0x0012: "secp192k1",
    0x0013: "secp192r1", 0x0014: "secp224k1", 0x0015: "secp224r1",
    0x0016: "secp256k1", 0x0017: "secp256r1", 0x0018: "secp384r1",
    0x0019: "secp521r1", 0x001A: "brainpoolP256r1", 0x001B: "brainpoolP384r1",
    0x001C: "brainpoolP512r1", 0x001D: "x25519", 0x001E: "x448",
    0x001F: "brainpoolP256r1tls13", 0x0020: "brainpoolP384r1tls13",
    0x0021: "brainpoolP512r1tls13", 0x0022: "GC256A", 0x0023: "GC256B",
    0x0024: "GC256C", 0x0025: "GC256D", 0x0026: "GC512A", 0x0027: "GC512B",
    0x0028: "GC512C", 0x0029: "curveSM2",
    0x0100: "ffdhe2048", 0x0101: "ffdhe3072", 0x0102: "ffdhe4096",
    0x0103: "ffdhe6144", 0x0104: "ffdhe8192",
    0x0200: "MLKEM512", 0x0201: "MLKEM768", 0x0202: "MLKEM1024",
    0x11EB: "SecP256r1MLKEM768", 0x11EC: "X25519MLKEM768",
    0x11ED: "SecP384r1MLKEM1024",
    0x6399: "X25519Kyber768Draft00", 0x639A: "SecP256r1Kyber768Draft00",
    0xFF01: "arbitrary_explicit_prime_curves", 0xFF02: "arbitrary_explicit_char2_curves",
}

SIGALGS = {
    0x0201: "rsa_pkcs1_sha1", 0x0202: "dsa_sha1", 0x0203: "ecdsa_sha1",
    0x0101: "rsa_pkcs1_md5", 0x0102: "dsa_md5", 0x0103: "ecdsa_md5",
    0x0301: "rsa_pkcs1_sha224", 0x0302: "dsa_sha224", 0x0303: "ecdsa_sha224",
    0x0401: "rsa_pkcs1_sha256", 0x0402: "dsa_sha256", 0x0403: "ecdsa_secp256r1_sha256",
    0x0501: "rsa_pkcs1_sha384", 0x0502: "dsa_sha384", 0x0503: "ecdsa_secp384r1_sha384",
    0x0601: "rsa_pkcs1_sha512", 0x0602: "dsa_sha512", 0x0603: "ecdsa_secp521r1_sha512",
    0x0804: "rsa_pss_rsae_sha256", 0x0805: "rsa_pss_rsae_sha384", 0x0806: "rsa_pss_rsae_sha512",
    0x0807: "ed25519", 0x0808: "ed448",
    0x0809: "rsa_pss_pss_sha256", 0x080A: "rsa_pss_pss_sha384", 0x080B: "rsa_pss_pss_sha512",
    0x081A: "ecdsa_brainpoolP256r1tls13_sha256", 0x081B: "ecdsa_brainpoolP384r1tls13_sha384",
    0x081C: "ecdsa_brainpoolP512r1tls13_sha512",
    0x0904: "mldsa44", 0x0905: "mldsa65", 0x0906: "mldsa87",
    0x0420: "rsa_pkcs1_sha256_legacy", 0x0520: "rsa_pkcs1_sha384_legacy", 0x0620: "rsa_pkcs1_sha512_legacy",
    0x0704: "eccsi_sha256", 0x0709: "sm2sig_sm3",
    0xEEEE: "gostr34102012_256", 0xEFEF: "gostr34102012_512", 0xEDED: "gostr34102001",
}

EXTENSIONS = {
    0: "server_name", 1: "max_fragment_length", 2: "client_certificate_url",
    3: "trusted_ca_keys", 4: "truncated_hmac", 5: "status_request",
    6: "user_mapping", 7: "client_authz", 8: "server_authz", 9: "cert_type",
    10: "supported_groups", 11: "ec_point_formats", 12: "srp",
    13: "signature_algorithms", 14: "use_srtp", 15: "heartbeat",
    16: "application_layer_protocol_negotiation", 17: "status_request_v2",
    18: "signed_certificate_timestamp", 19: "client_certificate_type",
    20: "server_certificate_type", 21: "padding", 22: "encrypt_then_mac",
    23: "extended_master_secret", 24: "token_binding", 25: "cached_info",
    27: "compress_certificate", 28: "record_size_limit",
    34: "delegated_credential", 35: "session_ticket", 41: "pre_shared_key",
    42: "early_data", 43: "supported_versions", 44: "cookie",
    45: "psk_key_exchange_modes", 47: "certificate_authorities",
    48: "oid_filters", 49: "post_handshake_auth",
    50: "signature_algorithms_cert", 51: "key_share", 57: "quic_transport_parameters",
    0x3374: "next_protocol_negotiation", 0x4469: "application_settings_old",
    0x44CD: "application_settings", 0x7550: "channel_id", 0xFE0D: "encrypted_client_hello",
    0xFF01: "renegotiation_info",
}

VERSIONS = {0x0002: "SSL 2.0", 0x0300: "SSL 3.0", 0x0301: "TLS 1.0",
            0x0302: "TLS 1.1", 0x0303: "TLS 1.2", 0x0304: "TLS 1.3"}


def is_grease(v):
    return (v & 0x0F0F) == 0x0A0A and (v >> 8) == (v & 0xFF)


def hex4(v):
    return "0x%04X" % v


def load_cipher_names(text):
    """Parse lines like '0xC0,0x2B - <openssl> <IANA> ...' into {code: iana}.
    SSLv2 three-byte codes ('0x07,0x00,0xC0') are keyed as 0x0700C0 ints."""
    names = {}
    for line in text.splitlines():
        m = re.match(r"\s*((?:0x[0-9A-Fa-f]{2},?)+)\s+-\s+(\S+)\s+(\S+)", line)
        if not m:
            continue
        parts = [int(p, 16) for p in m.group(1).strip(",").split(",")]
        code = 0
        for p in parts:
            code = (code << 8) | p
        iana = m.group(3)
        if len(parts) == 2:
            names.setdefault(code, iana)
        else:
            names.setdefault(("v2", code), iana)
    names.setdefault(0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV")
    names.setdefault(0x5600, "TLS_FALLBACK_SCSV")
    return names
