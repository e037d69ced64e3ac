"""Decode a captured ClientHello (TLS record bytes, or an SSLv2-format hello)
into the facts a client profile records: offered versions, cipher suites in
order, groups, signature algorithms, ALPN, extension list.

Usage as a library: decode(bytes) -> dict.  As a script:
    python3 clienthello.py HEX      # prints JSON
"""
import json
import struct
import sys

from tlsnames import EXTENSIONS, GROUPS, SIGALGS, VERSIONS, hex4, is_grease


class Reader:
    def __init__(self, b):
        self.b, self.i = b, 0

    def u8(self):
        v = self.b[self.i]
        self.i += 1
        return v

    def u16(self):
        v = struct.unpack(">H", self.b[self.i:self.i + 2])[0]
        self.i += 2
        return v

    def u24(self):
        v = int.from_bytes(self.b[self.i:self.i + 3], "big")
        self.i += 3
        return v

    def take(self, n):
        v = self.b[self.i:self.i + n]
        if len(v) != n:
            raise ValueError("truncated")
        self.i += n
        return v

    def left(self):
        return len(self.b) - self.i


def _u16list(b):
    return [struct.unpack(">H", b[i:i + 2])[0] for i in range(0, len(b) - 1, 2)]


def decode_sslv2(b):
    # SSLv2 record: 2-byte header with high bit set, msg type 1 = CLIENT-HELLO
    length = ((b[0] & 0x7F) << 8) | b[1]
    r = Reader(b[2:2 + length])
    if r.u8() != 1:
        raise ValueError("not an SSLv2 CLIENT-HELLO")
    version = r.u16()
    cs_len, sid_len, ch_len = r.u16(), r.u16(), r.u16()
    specs = r.take(cs_len)
    suites, v2 = [], []
    for i in range(0, len(specs), 3):
        k = int.from_bytes(specs[i:i + 3], "big")
        if specs[i] == 0:
            suites.append(k & 0xFFFF)
        else:
            v2.append("0x%06X" % k)
    return {
        "record_format": "SSLv2-compatible",
        "legacy_version": VERSIONS.get(version, hex4(version)),
        "cipher_suites": [hex4(s) for s in suites],
        "sslv2_cipher_specs": v2,
        "extensions": [],
        "grease": False,
    }


def decode(b):
    if b[0] & 0x80 and b[0] != 0x16:
        return decode_sslv2(b)
    r = Reader(b)
    if r.u8() != 0x16:
        raise ValueError("not a handshake record")
    rec_version = r.u16()
    rec_len = r.u16()
    body = r.take(min(rec_len, r.left()))
    h = Reader(body)
    if h.u8() != 1:
        raise ValueError("not a ClientHello")
    hs_len = h.u24()
    legacy_version = h.u16()
    h.take(32)
    sid = h.take(h.u8())
    suites_raw = _u16list(h.take(h.u16()))
    comp = list(h.take(h.u8()))
    out = {
        "record_format": "TLS",
        "record_version": VERSIONS.get(rec_version, hex4(rec_version)),
        "legacy_version": VERSIONS.get(legacy_version, hex4(legacy_version)),
        "session_id_length": len(sid),
        "compression_methods": comp,
    }
    grease = any(is_grease(s) for s in suites_raw)
    out["cipher_suites"] = [hex4(s) for s in suites_raw if not is_grease(s)]
    exts = []
    groups = sigalgs = sigalgs_cert = versions = alpn = None
    key_shares = None
    point_formats = None
    sni = None
    if h.left() >= 2:
        ext_total = h.u16()
        e = Reader(h.take(min(ext_total, h.left())))
        while e.left() >= 4:
            et = e.u16()
            data = e.take(e.u16())
            if is_grease(et):
                grease = True
                continue
            exts.append(et)
            d = Reader(data)
            try:
                if et == 0 and len(data) >= 2:
                    d.u16()
                    d.u8()
                    sni = d.take(d.u16()).decode("ascii", "replace")
                elif et == 10:
                    raw = _u16list(d.take(d.u16()))
                    grease |= any(is_grease(g) for g in raw)
                    groups = [g for g in raw if not is_grease(g)]
                elif et == 11:
                    point_formats = list(d.take(d.u8()))
                elif et == 13:
                    sigalgs = _u16list(d.take(d.u16()))
                elif et == 50:
                    sigalgs_cert = _u16list(d.take(d.u16()))
                elif et == 43:
                    raw = _u16list(d.take(d.u8()))
                    grease |= any(is_grease(v) for v in raw)
                    versions = [v for v in raw if not is_grease(v)]
                elif et == 16:
                    lst = d.take(d.u16())
                    rr = Reader(lst)
                    alpn = []
                    while rr.left():
                        alpn.append(rr.take(rr.u8()).decode("ascii", "replace"))
                elif et == 51:
                    lst = Reader(d.take(d.u16()))
                    key_shares = []
                    while lst.left() >= 4:
                        g = lst.u16()
                        lst.take(lst.u16())
                        if is_grease(g):
                            grease = True
                        else:
                            key_shares.append(g)
            except (ValueError, IndexError, struct.error):
                pass
    out["extensions"] = [{"code": et, "name": EXTENSIONS.get(et, "unknown")} for et in exts]
    out["grease"] = grease
    if sni is not None:
        out["sni_in_capture"] = sni
    if groups is not None:
        out["groups"] = [hex4(g) for g in groups]
        out["group_names"] = [GROUPS.get(g, hex4(g)) for g in groups]
    if point_formats is not None:
        out["ec_point_formats"] = point_formats
    if sigalgs is not None:
        out["signature_algorithms"] = [hex4(s) for s in sigalgs]
        out["signature_algorithm_names"] = [SIGALGS.get(s, hex4(s)) for s in sigalgs]
    if sigalgs_cert is not None:
        out["signature_algorithms_cert"] = [hex4(s) for s in sigalgs_cert]
    if versions is not None:
        out["supported_versions"] = [VERSIONS.get(v, hex4(v)) for v in versions]
    if alpn is not None:
        out["alpn"] = alpn
    if key_shares is not None:
        out["key_share_groups"] = [GROUPS.get(g, hex4(g)) for g in key_shares]
    return out


if __name__ == "__main__":
    print(json.dumps(decode(bytes.fromhex(sys.argv[1])), indent=1))
