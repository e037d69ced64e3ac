"""Capture one ClientHello on loopback: listen on 127.0.0.1:PORT, accept one
connection, read the first TLS record (the hello may span records; we read
records until the handshake message is complete), print it as hex, close.

Usage: python3 capture_hello.py PORT OUTFILE [timeout]
Run the client under test against https://<name>:PORT with <name> resolved
to 127.0.0.1 (curl --resolve, a hosts file, ...). The client sees the
connection closed and fails; that is expected.
"""
import socket
import sys


def read_exact(c, n):
    b = b""
    while len(b) < n:
        chunk = c.recv(n - len(b))
        if not chunk:
            raise EOFError
        b += chunk
    return b


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 30
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(1)
    s.settimeout(timeout)
    c, _ = s.accept()
    c.settimeout(timeout)
    hdr = read_exact(c, 5)
    if hdr[0] != 0x16:
        raise SystemExit("not a TLS handshake record: %r" % hdr)
    body = read_exact(c, int.from_bytes(hdr[3:5], "big"))
    # a hello larger than one record (rare: post-quantum key shares) is
    # continued in further records; merge into one record for decoding
    need = 4 + int.from_bytes(body[1:4], "big")
    while len(body) < need:
        h2 = read_exact(c, 5)
        body += read_exact(c, int.from_bytes(h2[3:5], "big"))
    rec = hdr[:3] + len(body).to_bytes(2, "big") + body
    open(out, "w").write(rec.hex() + "\n")
    c.close()
    s.close()


if __name__ == "__main__":
    main()
