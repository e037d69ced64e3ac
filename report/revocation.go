package report

import (
	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/scanner/handshake"
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
	// CRLs is what each CRL distribution point said, when fetched.
	CRLs []*handshake.CRLCheck `json:"crls,omitempty"`
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

func revocationJSON(h *handshake.Handshake) *RevocationJSON {
	leaf := h.Leaf()
	if leaf == nil {
		return nil
	}
	// The scanner parsed and verified the responses once (the checks read
	// the same).
	out := &RevocationJSON{
		OCSPURLs:     leaf.OCSPServer,
		CRLURLs:      leaf.CRLDistributionPoints,
		OCSPStaple:   h.StapledOCSP,
		SCTsEmbedded: certinfo.EmbeddedSCTs(leaf),
		CRLs:         h.CRLs,
	}
	if o := h.OnlineOCSP; o != nil {
		out.OnlineOCSP = &OnlineOCSPJSON{URL: o.URL, Error: o.Err, OCSP: o.Parsed}
	}
	return out
}
