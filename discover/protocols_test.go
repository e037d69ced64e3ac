package discover_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tlsaudit/tlsaudit/checks"
	"github.com/tlsaudit/tlsaudit/discover"
)

// TestProtocolHosts: hosts in URLs of other protocols, and bare hosts on
// well-known ports in config, get the protocol the app speaks to them,
// and the port of that protocol when the URL names none.
func TestProtocolHosts(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		".env": "DATABASE_URL=postgres://app:s3cret@db.acme-shop.net/app\n" +
			"MAIL_URL=smtp://mail.acme-shop.net:587\n" +
			"BROKER_URL=mqtts://broker.acme-shop.net\n" +
			"LDAP_URL=ldap://dir.acme-shop.net\n" +
			"API_URL=https://api.acme-shop.net\n" +
			"REPORTS_DB=mysql+pymysql://reports.acme-shop.net/r\n" +
			"MIRROR=ftp://files.acme-shop.net/pub\n",
		"config.yaml": "backend_host: cache.acme-shop.net:5432\napi_host: edge.acme-shop.net:8443\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := discover.Run(root, discover.Options{Checks: checks.All()})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range d.Hosts {
		got = append(got, h.HostPort()+" "+string(h.Protocol))
	}
	want := []string{
		"api.acme-shop.net:443 ",
		"broker.acme-shop.net:8883 mqtt",
		"cache.acme-shop.net:5432 postgres",
		"db.acme-shop.net:5432 postgres",
		"dir.acme-shop.net:389 ldap",
		"edge.acme-shop.net:8443 ",
		"mail.acme-shop.net:587 smtp",
		"reports.acme-shop.net:3306 mysql",
	}
	if !slices.Equal(got, want) {
		t.Errorf("hosts:\n%q\nwant\n%q", got, want)
	}
}
