package targets

import (
	"github.com/tlsaudit/tlsaudit/internal/clientdata"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// validateClients checks the trust store and client names a layer sets,
// where they were written.
func (l *loader) validateClients(ly layer) {
	for i, name := range ly.s.TrustStores {
		if _, err := clientdata.LookupStore(name); err != nil {
			l.errs.add(ly.itemPos("trust_stores", i), "trust_stores", "%v", err)
		}
	}
	for i, spec := range ly.s.Clients {
		if _, err := clientdata.ResolveClients([]string{spec}); err != nil {
			l.errs.add(ly.itemPos("clients", i), "clients", "%v", err)
		}
	}
}

// buildClients sets the target's trust stores and declared clients (their
// names were validated with the layer that set them). The first trust
// store replaces the system roots unless the target has a ca; the others
// give further verdicts.
func (l *loader) buildClients(t *scanner.Target, eff *Settings) {
	for _, name := range eff.TrustStores {
		s, err := clientdata.LookupStore(name)
		if err != nil {
			continue
		}
		if t.Roots == nil && t.RootsName == "" {
			t.Roots, t.RootsName = s.Pool(), s.ID
			continue
		}
		t.MoreRoots = append(t.MoreRoots, scanner.NamedRoots{Name: s.ID, Pool: s.Pool()})
	}
	if len(eff.Clients) > 0 {
		t.Clients, _ = clientdata.ResolveClients(eff.Clients)
	}
}
