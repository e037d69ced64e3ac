package report

import (
	"crypto/x509"
	"slices"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/scanner"
)

// RevocationJSON holds the revocation and transparency facts about the
// leaf: where clients can check it, what the server stapled, what the
// responder said when asked (--online-revocation), and how many
// Certificate Transparency proofs are embedded in it. Whether a response
// was stapled, and the SCTs sent in the TLS extension, are in TLSJSON
// (ocsp_stapled, scts_in_handshake): they are properties of the handshake.
type RevocationJSON struct {
	OCSPURLs []string `json:"ocsp_urls,omitempty"`
	CRLURLs  []string `json:"crl_urls,omitempty"`
	// OCSPStaple is what the stapled response says, when there is one.
	OCSPStaple *certinfo.OCSP `json:"ocsp_staple,omitempty"`
	// OnlineOCSP is the responder's answer, when asked.
	OnlineOCSP *OnlineOCSPJSON `json:"online_ocsp,omitempty"`
	// SCTsEmbedded counts the signed certificate timestamps in the leaf.
	SCTsEmbedded int `json:"scts_embedded"`
}

// OnlineOCSPJSON is one query of the leaf's OCSP responder.
type OnlineOCSPJSON struct {
	URL string `json:"url"`
	// Error says why the responder could not be asked or gave no answer.
	Error string `json:"error,omitempty"`
	*certinfo.OCSP
}

func revocationJSON(h *scanner.Handshake) *RevocationJSON {
	leaf := h.Leaf()
	if leaf == nil {
		return nil
	}
	// Finding the issuer checks signatures: only when there is a response
	// to verify.
	issuer := func() *x509.Certificate { return certinfo.IssuerOf(leaf, slices.Concat(h.Chain[1:], h.Trust.Verified)) }
	out := &RevocationJSON{
		OCSPURLs:     leaf.OCSPServer,
		CRLURLs:      leaf.CRLDistributionPoints,
		SCTsEmbedded: certinfo.EmbeddedSCTs(leaf),
	}
	if len(h.OCSPStaple) > 0 {
		o := certinfo.ParseOCSP(h.OCSPStaple, leaf, issuer())
		out.OCSPStaple = &o
	}
	if o := h.OnlineOCSP; o != nil {
		out.OnlineOCSP = &OnlineOCSPJSON{URL: o.URL, Error: o.Err}
		if o.Response != nil {
			parsed := certinfo.ParseOCSP(o.Response, leaf, issuer())
			out.OnlineOCSP.OCSP = &parsed
		}
	}
	return out
}
