#!/usr/bin/env bash
# Re-capture ClientHellos from the clients installed on this machine, on
# loopback only (127.0.0.1, SNI example.com resolved locally). Each client is
# pointed at capture_hello.py, which records the first handshake record and
# closes the connection; the clients' errors are expected and ignored.
set -uo pipefail
cd "$(dirname "$0")"
OUT=../captures
mkdir -p "$OUT" /tmp/clientsim-cap
PORT=18443
cap() {  # cap NAME CMD...
  local name=$1; shift
  python3 capture_hello.py "$PORT" "$OUT/$name.hex" 20 & local pid=$!
  sleep 0.7
  "$@" >/dev/null 2>&1
  wait "$pid" || echo "no capture for $name" >&2
  PORT=$((PORT + 1))
}
echo "127.0.0.1 example.com" > /tmp/clientsim-cap/hosts
cat > /tmp/clientsim-cap/Hello.java <<'EOF'
import javax.net.ssl.*;
public class Hello {
  public static void main(String[] a) throws Exception {
    try {
      HttpsURLConnection c = (HttpsURLConnection) new java.net.URI("https://example.com:" + a[0] + "/").toURL().openConnection();
      c.setConnectTimeout(5000); c.setReadTimeout(5000); c.getInputStream();
    } catch (Exception e) { }
  }
}
EOF
cat > /tmp/clientsim-cap/hello.go <<'EOF'
package main

import (
	"crypto/tls"
	"net/http"
	"os"
	"time"
)

func main() {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{ServerName: "example.com"}
	c := &http.Client{Timeout: 5 * time.Second, Transport: tr}
	req, _ := http.NewRequest("GET", "https://127.0.0.1:"+os.Args[1]+"/", nil)
	c.Do(req)
}
EOF
V_CURL=$(curl --version | head -1 | awk '{print $2}')
V_SSL=$(openssl version | awk '{print $2}')
cap "curl-$V_CURL-openssl-$V_SSL" curl -s --max-time 5 --resolve "example.com:$PORT:127.0.0.1" "https://example.com:$PORT/"
cap "openssl-s_client-$V_SSL" sh -c "echo | timeout 5 openssl s_client -connect 127.0.0.1:$PORT -servername example.com"
cap "python-$(python3 -c 'import platform;print(platform.python_version())')-ssl-openssl-$V_SSL" python3 -c "
import ssl,socket
s=socket.create_connection(('127.0.0.1',$PORT),5)
try: ssl.create_default_context().wrap_socket(s, server_hostname='example.com')
except Exception: pass"
for jdk in /usr/lib/jvm/*/bin/java; do
  [ -x "$jdk" ] || continue
  v=$("$jdk" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/{print $2}')
  cap "java-$v" "$jdk" -Djdk.net.hosts.file=/tmp/clientsim-cap/hosts /tmp/clientsim-cap/Hello.java "$PORT"
done
command -v node >/dev/null && cap "node-$(node --version)" node -e "require('https').get({host:'127.0.0.1',port:$PORT,servername:'example.com',path:'/'}).on('error',()=>{})"
command -v go >/dev/null && cap "go-$(go env GOVERSION)" sh -c "cd /tmp/clientsim-cap && go run hello.go $PORT"
ls -la "$OUT"
