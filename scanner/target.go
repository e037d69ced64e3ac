package scanner

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/internal/fileloc"
)

// A Target is one endpoint to scan, with every option already resolved
// (defaults merged, files loaded). The scanner never mutates a Target.
type Target struct {
	// Index is the target's position in the input, for stable ordering.
	Index int
	// Name identifies the target in reports; unique within a targets file.
	Name string
	// Host is a DNS name or an IP literal (IPv6 without brackets).
	Host string
	// Port is the TLS port.
	Port int
	// ServerName is the name clients ask for: sent as SNI (unless it is
	// an IP address, which RFC 6066 forbids in SNI) and expected in the
	// certificate. Defaults to Host.
	ServerName string
	// Path is what HTTP probes request (path and query): the target's
	// http_path, or the path of its URL; empty means "/".
	Path string
	// Tags are free-form labels copied to reports.
	Tags []string
	// Source is where the target was defined; zero for command-line
	// targets.
	Source fileloc.Location
	// Sources are the places in an app's source code that name this host
	// (from discover, or a targets file's `sources`), first first: SARIF
	// points host results at Sources[0].
	Sources []fileloc.Location
	// CodePins are the pin sets an app's code applies to this host; the
	// code-pin-mismatch check compares the served chain with each.
	CodePins []*appcode.PinSet
	// SourceTree, when set, makes this not an endpoint but an app's
	// source tree (its path): its one result holds the code findings, each
	// with a Location, and it is never dialed.
	SourceTree string

	// Roots are the certificates trusted for this target; nil means the
	// system roots. RootsName says where they came from, for reports.
	Roots     *x509.CertPool
	RootsName string

	// Checks selects the checks that run on this target.
	Checks Selection
	// ExpiryWarnDays is how close to expiry a certificate must be for
	// cert-expiring-soon to fire.
	ExpiryWarnDays int
	// Accept lists the risks accepted for this target (its own and its
	// file's defaults).
	Accept []Acceptance
	// Profile is the Mozilla server-side TLS profile ("modern",
	// "intermediate" or "old") the protocol and cipher checks grade
	// against; empty means DefaultProfile. See profile.go.
	Profile string

	// ConnectTimeout bounds each connection's connect plus handshake.
	ConnectTimeout time.Duration
	// Deadline caps everything done for the target: every probe and
	// connection.
	Deadline time.Duration

	// HTTP is how the HTTP probes treat the target (protocol, ports,
	// request); the zero value probes an HTTPS service with defaults.
	HTTP HTTPSettings

	// AllAddresses asks for one result per address the host resolves to,
	// instead of one for the first address.
	AllAddresses bool
	// Addr, when valid, is dialed instead of resolving Host. The scanner
	// sets it on the per-address copies it makes for AllAddresses.
	Addr netip.Addr

	// Pins are base64 SHA-256 hashes of SubjectPublicKeyInfo (as
	// certinfo.SPKIPin); when set, the served or verified chain must hold
	// one of these keys, as a pinning app requires.
	Pins []string
	// ClientCert is presented when the server asks for a client
	// certificate (mutual TLS); nil presents none.
	ClientCert *tls.Certificate
	// OnlineRevocation allows asking the leaf's OCSP responder about it:
	// network traffic to a host other than the target.
	OnlineRevocation bool
	// Zlint lists the zlint lint sources ("RFC5280", "CABF_BR", or "all")
	// whose lints run on the chain; empty leaves zlint off unless the
	// check selection names zlint rules.
	Zlint []string

	// MoreRoots are further trust stores the chain is verified against,
	// each giving one verdict in Handshake.MoreTrust: the trust_stores
	// after the first (the first is Roots), or all of them when the target
	// has a ca.
	MoreRoots []NamedRoots
	// Clients are the client profiles (clientdata ids) the app declares:
	// the clients setting, or the minimum platforms discover found.
	// client-incompatible simulates these (at high severity) when set,
	// every profile (as information) when not. ClientsSource is where the
	// declaration is (a Gradle or Xcode line), when known.
	Clients       []string
	ClientsSource fileloc.Location
	// PlatformSources are, by platform ("android", "ios"), the build-file
	// lines that set the app's minimum version (scan --discover): where a
	// client-incompatible finding about that platform's clients points.
	PlatformSources map[string]fileloc.Location
	// ATS is the App Transport Security policy of the iOS or macOS app
	// that calls this host (scan --discover read it from Info.plist); nil
	// when no such app is known.
	ATS *appcode.ATSPolicy
	// StoreRoots, when set, adds roots to the embedded trust-store
	// snapshots client simulation verifies against, by store id: the
	// lab's stand-in for a public root only some platforms trust. Not a
	// setting.
	StoreRoots func(storeID string) []*x509.Certificate
	// PublicRoots makes Roots count as a public CA's, as the system roots
	// do, for the checks that hold public CAs to stricter rules
	// (ct-missing): the lab's stand-in for a public CA. Not a setting.
	PublicRoots bool
}

// NamedRoots is a trust store and the name reports give it.
type NamedRoots struct {
	Name string
	Pool *x509.CertPool
}

// HostPort is host:port as typed by a user, with IPv6 in brackets.
func (t *Target) HostPort() string {
	return net.JoinHostPort(t.Host, strconv.Itoa(t.Port))
}

// SNI is the server name to send in the ClientHello: ServerName unless it
// is an IP literal.
func (t *Target) SNI() string {
	if _, err := netip.ParseAddr(t.ServerName); err == nil {
		return ""
	}
	return t.ServerName
}

// Label is how reports name the target: its name, else host:port.
func (t *Target) Label() string {
	if t.Name != "" {
		return t.Name
	}
	return t.HostPort()
}
