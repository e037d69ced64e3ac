package handshake

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"net"
	"testing"
	"time"
)

// TestIntermediatePathMatchesFullVerification builds chains that each
// break one assumption of the intermediate-anchored shortcut (constraints
// above the intermediate, path lengths, usages, policies, expiry, order)
// and checks that the cache gives the verdict of verifying the whole chain
// every time, on first sight and again once the intermediate's path is
// cached.
func TestIntermediatePathMatchesFullVerification(t *testing.T) {
	root := issue(t, "Root", nil, true, nil)
	inter := issue(t, "Inter", root, true, nil)
	pathLen0Root := issue(t, "PathLen0 Root", nil, true, func(c *x509.Certificate) { c.MaxPathLen, c.MaxPathLenZero = 0, true })
	pathLen1Root := issue(t, "PathLen1 Root", nil, true, func(c *x509.Certificate) { c.MaxPathLen = 1 })
	constrainedRoot := issue(t, "Constrained Root", nil, true, func(c *x509.Certificate) {
		c.PermittedDNSDomains, c.PermittedDNSDomainsCritical = []string{"allowed.test"}, true
	})
	ipConstrainedRoot := issue(t, "IP Constrained Root", nil, true, func(c *x509.Certificate) {
		_, n, _ := net.ParseCIDR("192.0.2.0/24")
		c.ExcludedIPRanges = []*net.IPNet{n}
	})
	clientOnlyRoot := issue(t, "Client Root", nil, true, func(c *x509.Certificate) {
		c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	})
	policyRoot := issue(t, "Policy Root", nil, true, requireExplicitPolicy)
	expiredRoot := issue(t, "Expired Root", nil, true, func(c *x509.Certificate) { c.NotAfter = now.Add(-time.Hour) })

	under := func(r *node, tweak func(*x509.Certificate)) *node {
		return issue(t, "Inter under "+r.cert.Subject.CommonName, r, true, tweak)
	}
	leafOf := func(p *node, tweak func(*x509.Certificate)) *node {
		return issue(t, "leaf.allowed.test", p, false, tweak)
	}

	notCA := issue(t, "Not a CA", root, false, func(c *x509.Certificate) {
		c.BasicConstraintsValid, c.IsCA, c.KeyUsage = true, false, x509.KeyUsageCertSign
	})
	clientInter := under(root, func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth} })
	nameInter := under(root, func(c *x509.Certificate) { c.ExcludedDNSDomains = []string{"allowed.test"} })
	policyInter := under(root, func(c *x509.Certificate) {
		// inhibitAnyPolicy 0 (RFC 5280 4.2.1.14); CreateCertificate does
		// not write it from the struct's fields.
		c.ExtraExtensions = append(c.ExtraExtensions, pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 54}, Critical: true, Value: []byte{0x02, 0x01, 0x00}})
	})
	expiredInter := under(root, func(c *x509.Certificate) { c.NotAfter = now.Add(-time.Hour) })
	inter2 := under(inter, nil)
	pl1a := under(pathLen1Root, nil)
	pl1b := issue(t, "Second under PathLen1", pl1a, true, nil)
	oid := asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 9}
	policyLeaf := func(p *node) *node {
		return leafOf(p, func(c *x509.Certificate) { c.Policies = []x509.OID{mustOID(t, oid)} })
	}

	pool := func(cs ...*node) *x509.CertPool {
		p := x509.NewCertPool()
		for _, c := range cs {
			p.AddCert(c.cert)
		}
		return p
	}
	allRoots := pool(root, pathLen0Root, pathLen1Root, constrainedRoot, ipConstrainedRoot, clientOnlyRoot, policyRoot, expiredRoot)
	// Each case makes a leaf (twice: a fleet's second leaf under the same
	// intermediate meets the intermediate's path in the cache) and the
	// certificates served after it.
	type chain struct {
		name  string
		leaf  func() *node
		rest  []*node
		roots *x509.CertPool
	}
	l := func(p *node, tweak func(*x509.Certificate)) func() *node {
		return func() *node { return leafOf(p, tweak) }
	}
	pl0 := under(pathLen0Root, nil)
	cons := under(constrainedRoot, nil)
	ipc := under(ipConstrainedRoot, nil)
	cli := under(clientOnlyRoot, nil)
	pol := under(policyRoot, nil)
	exp := under(expiredRoot, nil)
	wrong := under(pathLen1Root, nil)
	withPolicy := func(c *x509.Certificate) { c.Policies = []x509.OID{mustOID(t, oid)} }
	polWithPolicy := under(policyRoot, withPolicy)
	explicitInter := under(root, requireExplicitPolicy)
	explicitWithPolicy := under(root, func(c *x509.Certificate) { requireExplicitPolicy(c); withPolicy(c) })
	explicitUpper := under(root, func(c *x509.Certificate) { requireExplicitPolicy(c); withPolicy(c) })
	belowExplicit := under(explicitUpper, withPolicy)
	// systemRoots stands for nil roots (the system's) in a case: nil there
	// means allRoots.
	systemRoots := x509.NewCertPool()
	cases := []chain{
		{"plain chain", l(inter, nil), []*node{inter}, nil},
		{"two intermediates", l(inter2, nil), []*node{inter2, inter}, nil},
		{"root allows no intermediate", l(pl0, nil), []*node{pl0}, nil},
		{"root allows one intermediate, two served", l(pl1b, nil), []*node{pl1b, pl1a}, nil},
		{"root allows one intermediate, one served", l(pl1a, nil), []*node{pl1a}, nil},
		{"root constrains names", l(cons, nil), []*node{cons}, nil},
		{"root constrains names, leaf outside", func() *node { return issue(t, "leaf.other.test", cons, false, nil) }, []*node{cons}, nil},
		{"root excludes IPs", l(ipc, func(c *x509.Certificate) { c.IPAddresses = []net.IP{net.ParseIP("192.0.2.7")} }), []*node{ipc}, nil},
		{"root for client auth only", l(cli, nil), []*node{cli}, nil},
		{"root requires explicit policy", l(pol, nil), []*node{pol}, nil},
		{"root requires explicit policy, leaf has one", func() *node { return policyLeaf(pol) }, []*node{pol}, nil},
		{"expired root", l(exp, nil), []*node{exp}, nil},
		{"root requires explicit policy, intermediate has one, leaf none", l(polWithPolicy, nil), []*node{polWithPolicy}, nil},
		{"root requires explicit policy, both have one", l(polWithPolicy, withPolicy), []*node{polWithPolicy}, nil},
		{"intermediate requires explicit policy, leaf has none", l(explicitInter, nil), []*node{explicitInter}, nil},
		{"intermediate requires explicit policy and has one, leaf none", l(explicitWithPolicy, nil), []*node{explicitWithPolicy}, nil},
		{"intermediate requires explicit policy and has one, leaf too", l(explicitWithPolicy, withPolicy), []*node{explicitWithPolicy}, nil},
		{"second intermediate requires explicit policy, leaf has none", l(belowExplicit, nil), []*node{belowExplicit, explicitUpper}, nil},
		{"intermediate not a CA", l(notCA, nil), []*node{notCA}, nil},
		{"intermediate for client auth", l(clientInter, nil), []*node{clientInter}, nil},
		{"intermediate excludes the leaf's name", l(nameInter, nil), []*node{nameInter}, nil},
		{"intermediate inhibits any policy", l(policyInter, nil), []*node{policyInter}, nil},
		{"expired intermediate", l(expiredInter, nil), []*node{expiredInter}, nil},
		{"expired leaf", l(inter, func(c *x509.Certificate) { c.NotAfter = now.Add(-time.Hour) }), []*node{inter}, nil},
		{"leaf for client auth", l(inter, func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth} }), []*node{inter}, nil},
		{"intermediates out of order", l(inter2, nil), []*node{inter, inter2}, nil},
		{"wrong intermediate", l(inter, nil), []*node{wrong}, nil},
		{"intermediate is itself trusted", l(inter, nil), []*node{inter}, pool(inter)},
		{"system roots (none trust these)", l(inter, nil), []*node{inter}, systemRoots},
	}
	for _, c := range cases {
		roots := cmpOr(c.roots, allRoots)
		if c.roots == systemRoots {
			roots = nil
		}
		cache := NewTrustCache()
		for i := range 2 {
			served := []*x509.Certificate{c.leaf().cert}
			for _, s := range c.rest {
				served = append(served, s.cert)
			}
			want := verifyChain(served, roots, "test", now)
			if i == 0 && testing.Verbose() {
				t.Logf("%s: %s %s", c.name, want.Status, want.Detail)
			}
			got := cache.Verify(served, roots, "test", now)
			if got.Status != want.Status || got.Anchor != want.Anchor || len(got.Verified) != len(want.Verified) || got.At != want.At {
				t.Errorf("%s (leaf %d): cache says %s (anchor %q, %d certs, at %v), whole chain %s (anchor %q, %d certs, at %v: %s)",
					c.name, i+1, got.Status, got.Anchor, len(got.Verified), got.At, want.Status, want.Anchor, len(want.Verified), want.At, want.Detail)
			}
		}
	}
}

func cmpOr(a, b *x509.CertPool) *x509.CertPool {
	if a != nil {
		return a
	}
	return b
}

// requireExplicitPolicy adds policyConstraints { requireExplicitPolicy 0 }
// (RFC 5280 4.2.1.11), which CreateCertificate does not write from the
// struct's fields.
func requireExplicitPolicy(c *x509.Certificate) {
	c.ExtraExtensions = append(c.ExtraExtensions, pkix.Extension{
		Id: asn1.ObjectIdentifier{2, 5, 29, 36}, Critical: true, Value: []byte{0x30, 0x03, 0x80, 0x01, 0x00}})
}

func mustOID(t *testing.T, o asn1.ObjectIdentifier) x509.OID {
	t.Helper()
	ints := make([]uint64, len(o))
	for i, v := range o {
		ints[i] = uint64(v)
	}
	oid, err := x509.OIDFromInts(ints)
	if err != nil {
		t.Fatal(err)
	}
	return oid
}

// TestIntermediatePathIsUsed checks that the shortcut is taken for a plain
// fleet: many leaves under one intermediate verify the intermediate's path
// once.
func TestIntermediatePathIsUsed(t *testing.T) {
	root := issue(t, "Root", nil, true, nil)
	inter := issue(t, "Inter", root, true, nil)
	roots := x509.NewCertPool()
	roots.AddCert(root.cert)
	cache := NewTrustCache()
	for i := range 5 {
		l := issue(t, "leaf.test", inter, false, nil)
		got := cache.Verify([]*x509.Certificate{l.cert, inter.cert}, roots, "test", now)
		if got.Status != TrustOK || len(got.Verified) != 3 || got.Anchor != "CN=Root" {
			t.Fatalf("leaf %d: %+v", i, got)
		}
	}
	if n := cache.uppers.len(); n != 1 {
		t.Errorf("%d intermediate paths verified for one intermediate", n)
	}
}
