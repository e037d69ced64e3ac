package clientsim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/tlsaudit/tlsaudit/internal/clientdata"
	"github.com/tlsaudit/tlsaudit/internal/tlsinfo"
	"github.com/tlsaudit/tlsaudit/scanner/enum"
)

var now = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

func issue(t *testing.T, cn string, ca bool, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, aia bool) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		BasicConstraintsValid: true, IsCA: ca, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if aia {
		tmpl.IssuingCertificateURL = []string{"http://ca.invalid/inter.der"}
	}
	if parent == nil {
		parent, parentKey = tmpl, k
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &k.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c, k
}

// modern is a server accepting TLS 1.2 and 1.3 with the suites every
// current client offers.
func modern() *enum.Enumeration {
	return &enum.Enumeration{Versions: []enum.ProtocolSupport{
		{Version: tlsinfo.VersionTLS12, Accepted: true, Suites: []enum.AcceptedSuite{{ID: 0xC02B}, {ID: 0xC02F}}, SuitePreference: enum.PreferServer, Groups: []uint16{0x001D, 0x0017}},
		{Version: tlsinfo.VersionTLS13, Accepted: true, Suites: []enum.AcceptedSuite{{ID: 0x1301}}, Groups: []uint16{0x001D, 0x0017}},
	}}
}

// A chain under a root that only the Android 7.1+ (API 25+) stores hold,
// as ISRG Root X1: android-24 fails for the missing root, android-25
// connects. The root is a test root placed in synthetic stores.
func TestRootOnlyInNewerAndroidStores(t *testing.T) {
	root, rk := issue(t, "Test Root X1", true, nil, nil, false)
	inter, ik := issue(t, "Test Intermediate", true, root, rk, false)
	leaf, _ := issue(t, "api.example.test", false, inter, ik, false)
	pools := func(id string) *x509.CertPool {
		p := x509.NewCertPool()
		if s := clientdata.StoreByID(id); s != nil && s.Family == "android" && s.APILevel >= 25 {
			p.AddCert(root)
		}
		return p
	}
	sim := New(Input{Enum: modern(), Chain: []*x509.Certificate{leaf, inter}, Now: now, Pool: pools})
	o24 := sim.Simulate(clientdata.ProfileByID("android-24"))
	if o24.Verdict != Fails || !strings.Contains(o24.Reason, "android-24") || !strings.Contains(o24.Reason, "Test Intermediate") {
		t.Errorf("android-24: %+v, want a failure naming its store and the chain's top", o24)
	}
	for _, id := range []string{"android-25", "android-30", "android-36"} {
		if o := sim.Simulate(clientdata.ProfileByID(id)); o.Verdict != Connects {
			t.Errorf("%s: %+v, want connects", id, o)
		}
	}
}

// The server omits its intermediate and the leaf has no AIA URL: no
// client can complete the chain, AIA-fetching or not. With an AIA URL, the
// fetching clients (iOS) connect and the others (Android) do not.
func TestMissingIntermediate(t *testing.T) {
	root, rk := issue(t, "Test Root", true, nil, nil, false)
	inter, ik := issue(t, "Test Intermediate", true, root, rk, false)
	pools := func(string) *x509.CertPool { p := x509.NewCertPool(); p.AddCert(root); return p }
	for _, aia := range []bool{false, true} {
		leaf, _ := issue(t, "api.example.test", false, inter, ik, aia)
		sim := New(Input{Enum: modern(), Chain: []*x509.Certificate{leaf}, Now: now, Pool: pools})
		if o := sim.Simulate(clientdata.ProfileByID("android-30")); o.Verdict != Fails {
			t.Errorf("aia=%v android-30: %+v, want fails", aia, o)
		}
		ios := sim.Simulate(clientdata.ProfileByID("ios-18"))
		if want := map[bool]Verdict{false: Fails, true: Connects}[aia]; ios.Verdict != want {
			t.Errorf("aia=%v ios-18: %+v, want %s", aia, ios, want)
		}
		full := New(Input{Enum: modern(), Chain: []*x509.Certificate{leaf, inter}, Now: now, Pool: pools})
		if o := full.Simulate(clientdata.ProfileByID("android-30")); o.Verdict != Connects {
			t.Errorf("full chain, android-30: %+v", o)
		}
	}
}

func TestVersionsAndSuites(t *testing.T) {
	tls13only := &enum.Enumeration{Versions: []enum.ProtocolSupport{
		{Version: tlsinfo.VersionTLS12}, {Version: tlsinfo.VersionTLS13, Accepted: true, Suites: []enum.AcceptedSuite{{ID: 0x1301}}},
	}}
	sim := New(Input{Enum: tls13only, Now: now})
	if o := sim.Simulate(clientdata.ProfileByID("java-8u161")); o.Verdict != Fails || !strings.Contains(o.Reason, "no shared protocol version") {
		t.Errorf("java-8u161 vs TLS 1.3 only: %+v", o)
	}
	if o := sim.Simulate(clientdata.ProfileByID("java-17")); o.Verdict != Connects || o.Version != tlsinfo.VersionTLS13 {
		t.Errorf("java-17 vs TLS 1.3 only: %+v", o)
	}
	// Only a ChaCha20 suite at TLS 1.2: Android 7.0 offers none it can
	// share when the server takes only the CBC-SHA256 suites.
	cbc256 := &enum.Enumeration{Versions: []enum.ProtocolSupport{
		{Version: tlsinfo.VersionTLS12, Accepted: true, Suites: []enum.AcceptedSuite{{ID: 0xC027}}},
	}}
	o := New(Input{Enum: cbc256, Now: now}).Simulate(clientdata.ProfileByID("android-24"))
	if o.Verdict != Fails || !strings.Contains(o.Reason, "no shared cipher suite") {
		t.Errorf("android-24 vs ECDHE-RSA-AES128-CBC-SHA256 only: %+v", o)
	}
	// Client preference with several shared suites decides by the
	// client's order; unknown preference leaves the suite open.
	e := modern()
	e.Versions[0].SuitePreference = enum.PreferUnknown
	if o := New(Input{Enum: e, Now: now}).Simulate(clientdata.ProfileByID("android-24")); o.Verdict != Connects || o.Suite != 0 {
		t.Errorf("unknown preference: %+v, want connects with the suite undecided", o)
	}
	// An incomplete enumeration of the version that decides is undecided.
	inc := &enum.Enumeration{Versions: []enum.ProtocolSupport{{Version: tlsinfo.VersionTLS12, Error: "timeout"}}}
	if o := New(Input{Enum: inc, Now: now}).Simulate(clientdata.ProfileByID("android-24")); o.Verdict != Undecided {
		t.Errorf("incomplete enumeration: %+v, want undecided", o)
	}
}
