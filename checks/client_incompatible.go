package checks

import (
	"crypto/x509"
	"fmt"
	"slices"
	"strings"

	"github.com/tlsaudit/tlsaudit/internal/clientdata"
	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/scanner/clientsim"
)

// ClientIncompatible simulates every client profile against what the scan
// observed and names the clients that cannot connect. It runs for targets
// with declared clients (the clients setting, or the platforms scan
// --discover found in the app): their failures are high, every other
// profile's are information.
var ClientIncompatible = &scanner.Check{
	ID:       "client-incompatible",
	Title:    "Some clients cannot connect",
	Severity: scanner.High,
	Description: "Simulating each client profile (Android by API level, iOS, macOS, Java, OkHttp, Dart, " +
		"curl, browsers, Windows) against the versions and cipher suites the server accepts and the " +
		"chain it sends, verified against the client's own trust store, shows clients that fail: no " +
		"shared protocol version or cipher suite, a root missing from their store, an intermediate they " +
		"do not fetch, or a key or signature they refuse. High for clients the app declares it supports.",
	Remediation: "Serve what the app's oldest supported clients need: enable TLS 1.2 next to TLS 1.3, " +
		"keep an ECDHE-AES-GCM suite, send the full chain, and use a certificate whose root is in the " +
		"oldest supported platform's store (or cross-signed into it).",
	References: []string{
		"https://www.rfc-editor.org/rfc/rfc8446#appendix-D",
		"https://developer.android.com/privacy-and-security/security-ssl",
		"https://cwe.mitre.org/data/definitions/295.html",
	},
	CWE:   295,
	Needs: scanner.NeedHandshake | scanner.NeedEnumeration,
	Run:   runClientIncompatible,
}

func runClientIncompatible(p *scanner.Pass) error {
	t := p.Result.Target
	if len(t.Clients) == 0 {
		return nil
	}
	hs := p.Handshake()
	in := clientsim.Input{Enum: p.Result.Enum, Chain: hs.Chain, Now: hs.Trust.At, PlatformStore: platformStore(t.Clients)}
	if in.Now.IsZero() {
		in.Now = p.Result.Start
	}
	if t.Roots != nil && !isStoreName(t.RootsName) {
		// A private CA: its clients are given the CA, as the scan is.
		in.Roots, in.RootsName = t.Roots, t.RootsName
	}
	if t.StoreRoots != nil {
		in.Pool = func(id string) *x509.CertPool {
			pool := x509.NewCertPool()
			if st := clientdata.StoreByID(id); st != nil {
				pool = st.Pool().Clone()
			}
			for _, c := range t.StoreRoots(id) {
				pool.AddCert(c)
			}
			return pool
		}
	}
	sim := clientsim.New(in)
	var declared, others, undecided, undecidedDeclared []string
	ev := map[string]string{}
	for _, prof := range clientdata.Profiles() {
		o := sim.Simulate(prof)
		line := prof.ID + ": " + o.Reason
		if prof.Approximate {
			line += " (approximate profile)"
		}
		switch {
		case o.Verdict == clientsim.Undecided:
			undecided = append(undecided, line)
			if slices.Contains(t.Clients, prof.ID) {
				undecidedDeclared = append(undecidedDeclared, line)
			}
			continue
		case o.Verdict != clientsim.Fails:
			continue
		case slices.Contains(t.Clients, prof.ID):
			declared = append(declared, prof.ID)
		default:
			others = append(others, prof.ID)
		}
		ev["client."+prof.ID] = o.Reason
	}
	if len(undecided) > 0 {
		ev["undecided"] = strings.Join(undecided, "; ")
	}
	report := func(sev scanner.Severity, ids []string, whose string) {
		if len(ids) == 0 {
			return
		}
		// A declared client's failure points at the line that declares
		// its platform's minimum (a Gradle minSdk, an Xcode deployment
		// target), where raising it is one way out.
		var where fileloc.Location
		if sev == scanner.High {
			where = t.ClientsSource
			if prof := clientdata.ProfileByID(ids[0]); prof != nil {
				if loc, ok := t.PlatformSources[prof.Platform]; ok {
					where = loc
				}
			}
		}
		first := ids[0] + " (" + ev["client."+ids[0]] + ")"
		more := ""
		if len(ids) > 1 {
			more = "; also " + strings.Join(ids[1:], ", ") + " (evidence says why)"
		}
		p.Report(scanner.Finding{Severity: sev, Evidence: ev, Location: where,
			Message: fmt.Sprintf("%d %s cannot connect: %s%s", len(ids), whose, first, more)})
	}
	report(scanner.High, declared, words.Plural(len(declared), "client the app supports", "clients the app supports"))
	report(scanner.Info, others, words.Plural(len(others), "other client", "other clients"))
	if len(declared) == 0 && len(undecidedDeclared) > 0 {
		return fmt.Errorf("the scan's observations do not decide for %s", strings.Join(undecidedDeclared, "; "))
	}
	return nil
}

// platformStore is the store OkHttp and Dart use: the oldest declared
// Android's, else the current Mozilla store.
func platformStore(clients []string) string {
	for _, id := range clients {
		if p := clientdata.ProfileByID(id); p != nil && p.Platform == clientdata.PlatformAndroid && p.TrustStore != "platform" {
			return p.TrustStore
		}
	}
	s, _ := clientdata.LookupStore("mozilla")
	return s.ID
}

func isStoreName(name string) bool { return clientdata.StoreByID(name) != nil }
