"""Decode testssl.sh's etc/client-simulation.txt (a bash file of parallel
arrays, one element per client, holding a captured ClientHello as hex) into
facts: one JSON object per client with the decoded hello and testssl's own
annotations (lowest/highest protocol, DH/RSA limits, requiresSha2, current),
plus provenance from git blame (commit and date the hello line was last set).

The captured bytes themselves are NOT written out: only decoded facts (codes
in order, versions, extension list). See NOTES.md on licensing.

Usage: python3 testssl_decode.py /path/to/testssl.sh-git-dir [commit] > out.json
"""
import json
import re
import subprocess
import sys

from clienthello import decode
from tlsnames import load_cipher_names


def git(gitdir, *args):
    return subprocess.run(["git", "--git-dir", gitdir] + list(args), check=True,
                          capture_output=True, text=True).stdout


ARR = re.compile(r'\b([A-Za-z_][A-Za-z0-9_]*)\+=\((.*)\)\s*$')


def parse(text):
    arrays = {}
    lines_of = {}
    for ln, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        m = ARR.search(line)
        if not m:
            continue
        key, val = m.group(1), m.group(2).strip()
        if key == "requireseha2":  # typo in the source file; same array
            key = "requiresSha2"
        if val.startswith('"') and val.endswith('"'):
            val = val[1:-1]
        if key == "names":
            arrays.setdefault("_start", []).append(ln)
        arrays.setdefault(key, []).append(val)
        lines_of.setdefault(key, []).append(ln)
    return arrays, lines_of


def blame(gitdir, commit, path, line):
    out = git(gitdir, "blame", "--porcelain", "-L", "%d,%d" % (line, line), commit, "--", path)
    sha = out.split()[0]
    t = re.search(r"^committer-time (\d+)", out, re.M).group(1)
    summary = re.search(r"^summary (.*)$", out, re.M).group(1)
    import datetime
    date = datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc).strftime("%Y-%m-%d")
    return {"commit": sha, "date": date, "summary": summary}


def first_added(gitdir, commit, hb):
    """Oldest commit whose diff adds this hello (git log -S, any path: the
    data lived in testssl.sh itself before etc/client-simulation.txt)."""
    needle = hb
    out = git(gitdir, "log", "--reverse", "--format=%H %cs", "-S", needle, commit,
              "--", "etc/client-simulation.txt", "etc/client-simulation.wiresharked.txt").split("\n")
    if not out or not out[0].strip():
        return None
    sha, date = out[0].split()
    return {"commit": sha, "date": date}


def main():
    gitdir = sys.argv[1]
    commit = sys.argv[2] if len(sys.argv) > 2 else "HEAD"
    commit = git(gitdir, "rev-parse", commit).strip()
    path = "etc/client-simulation.txt"
    text = git(gitdir, "show", "%s:%s" % (commit, path))
    names = load_cipher_names(git(gitdir, "show", "%s:etc/cipher-mapping.txt" % commit))
    arrays, lines_of = parse(text)
    n = len(arrays["names"])
    for k, v in arrays.items():
        if k not in ("_start", "alpn", "ja3", "ja4") and len(v) != n:
            print("warning: array %s has %d entries, names %d" % (k, len(v), n), file=sys.stderr)
    # alpn/ja3/ja4 are only set for some clients: attach by position in block
    starts = arrays["_start"] + [10 ** 9]
    sparse = {}
    for key in ("alpn", "ja3", "ja4"):
        for val, ln in zip(arrays.get(key, []), lines_of.get(key, [])):
            for i in range(n):
                if starts[i] <= ln < starts[i + 1]:
                    sparse.setdefault(i, {})[key] = val
    result = []
    for i in range(n):
        hb = arrays["handshakebytes"][i]
        try:
            hello = decode(bytes.fromhex(hb))
        except Exception as e:  # noqa
            hello = {"error": str(e)}
        for c in hello.get("cipher_suites", []):
            pass
        hello["cipher_suite_names"] = [names.get(int(c, 16), c) for c in hello.get("cipher_suites", [])]
        entry = {
            "name": arrays["names"][i],
            "short": arrays["short"][i],
            "testssl": {
                "lowest_protocol": arrays["lowest_protocol"][i],
                "highest_protocol": arrays["highest_protocol"][i],
                "service": arrays["service"][i],
                "minDhBits": int(arrays["minDhBits"][i]),
                "maxDhBits": int(arrays["maxDhBits"][i]),
                "minRsaBits": int(arrays["minRsaBits"][i]),
                "maxRsaBits": int(arrays["maxRsaBits"][i]),
                "minEcdsaBits": int(arrays["minEcdsaBits"][i]),
                "curves": arrays["curves"][i],
                "requiresSha2": arrays["requiresSha2"][i] == "true",
                "current": arrays["current"][i] == "true",
                "sends_sni": arrays["ch_sni"][i] != "",
            },
            "hello": hello,
            "provenance": {
                "repo": "testssl/testssl.sh",
                "path": path,
                "file_commit": commit,
                "hello_line": lines_of["handshakebytes"][i],
                "hello_last_changed": blame(gitdir, commit, path, lines_of["handshakebytes"][i]),
                "hello_first_added": first_added(gitdir, commit, hb),
            },
        }
        entry["testssl"].update(sparse.get(i, {}))
        result.append(entry)
    json.dump(result, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
