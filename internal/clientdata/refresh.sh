#!/usr/bin/env bash
# Regenerate the client-simulation data in this folder from its sources.
#
#   ./refresh.sh            rebuild everything from the sources already on disk
#   ./refresh.sh --capture  also re-capture ClientHellos from the local clients
#                           (curl, openssl, python, java, node, go) on loopback
#
# Sources (each can be overridden by an environment variable):
#   MIRRORS              directory holding git snapshots named owner+repo/repo
#                        (default /work/.mirror). Needed snapshots:
#                          testssl/testssl.sh                        (client hellos, Java/Microsoft stores)
#                          LineageOS/android_system_ca-certificates  (AOSP store history, API 19-33)
#                          vvb2060/zygisk_cacerts                    (AOSP main copies 2024-01/2024-07/2026-01)
#                          apple-oss-distributions/security_certificates (Apple stores by tag)
#                          tlswg/draft-ietf-tls-cert-abridge         (CCADB Microsoft report 2023-06)
#                          dpereira-silvas/certificates              (only with INTERMEDIATES=1: CCADB Mozilla intermediates 2021-12)
#                        Any git clone of these works (git clone --mirror <url> $MIRRORS/owner+repo/repo).
#   DEB_CA_CERTS         a ca-certificates .deb (default: fetched with `apt-get download ca-certificates`)
#   DEB_CA_DIR_INSTALLED installed /usr/share/ca-certificates/mozilla (older Debian snapshot)
#   GO_FALLBACK_VERSION  golang.org/x/crypto/x509roots/fallback version (default: the pinned one; `go list -m -versions`
#                        shows none for pseudo-versions, use `go list -m -json golang.org/x/crypto/x509roots/fallback@latest`)
#
# Nothing here edits the sources. Output: profiles.json, truststores/ (what the Go package embeds), src/testssl-decoded.json
# (intermediate facts, not embedded), truststores/certs.json (per-certificate facts, not embedded).
# To add a store or change the release->commit mapping, edit STORES in tools/build_truststores.py;
# to add or re-map a client profile, edit tools/build_profiles.py.
set -euo pipefail
cd "$(dirname "$0")"
HERE=$PWD
export MIRRORS=${MIRRORS:-/work/.mirror}
need() { [ -d "$MIRRORS/$1/repo" ] || { echo "missing git snapshot $MIRRORS/$1/repo" >&2; exit 1; }; }
for r in testssl+testssl.sh LineageOS+android_system_ca-certificates vvb2060+zygisk_cacerts \
         apple-oss-distributions+security_certificates tlswg+draft-ietf-tls-cert-abridge; do
  need "$r"
done

# Debian ca-certificates (Mozilla NSS via Debian)
if [ -z "${DEB_CA_CERTS:-}" ]; then
  mkdir -p /tmp/clientsim-deb && (cd /tmp/clientsim-deb && apt-get download ca-certificates >/dev/null)
  DEB_CA_CERTS=$(ls -t /tmp/clientsim-deb/ca-certificates_*_all.deb | head -1)
fi
export DEB_CA_CERTS
export DEB_CA_DIR_INSTALLED=${DEB_CA_DIR_INSTALLED:-/usr/share/ca-certificates/mozilla}

# Mozilla NSS via Go's x509roots/fallback (bundle.der + distrust-after constraints)
GOV=${GO_FALLBACK_VERSION:-v0.0.0-20261030153154-30a33513ff6d}   # pinned: the store id below names it
export GO_FALLBACK_DIR=$(cd /tmp && go mod download -json "golang.org/x/crypto/x509roots/fallback@$GOV" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
echo "fallback module: $GO_FALLBACK_DIR"
# NB: the store id mozilla-gofallback-20261030 names this pinned version; to move to a newer one,
# change GOV here and the id/name in tools/build_truststores.py (and the profiles that use it).

if [ "${1:-}" = "--capture" ]; then
  tools/capture_all.sh
fi

python3 tools/testssl_decode.py "$MIRRORS/testssl+testssl.sh/repo" > src/testssl-decoded.json
python3 tools/build_truststores.py truststores
# The CCADB intermediates (tools/build_intermediates.py, dpereira-silvas/certificates, a Dec-2021
# report) are not bundled: too old to stand for what browsers preload today. INTERMEDIATES=1 builds them
# into intermediates/ for inspection (not embedded).
if [ "${INTERMEDIATES:-}" = 1 ]; then
  need dpereira-silvas+certificates
  python3 tools/build_intermediates.py "$MIRRORS/dpereira-silvas+certificates/repo" HEAD MozillaIntermediateCerts.csv intermediates
fi
python3 tools/build_profiles.py "$MIRRORS/testssl+testssl.sh/repo" > profiles.json
python3 tools/check.py
echo "done: $(python3 -c 'import json;print(len(json.load(open("profiles.json"))["profiles"]))') profiles"
