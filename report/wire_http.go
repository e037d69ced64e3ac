package report

import "github.com/tlsaudit/tlsaudit/scanner/httpprobe"

// HTTPJSON is what the HTTP probes saw. Raw server bytes (status lines,
// Location, body prefixes) appear as JSON strings, which escape them;
// request header values never appear, only their names (the scanner
// redacts any a server echoes).
type HTTPJSON struct {
	HTTPS            *HTTPSJSON    `json:"https,omitempty"`
	PlainHTTP        *PlainJSON    `json:"plain_http,omitempty"`
	TLSPortPlaintext *ExchangeJSON `json:"tls_port_plaintext,omitempty"`
	RequestHeaders   []string      `json:"request_headers,omitempty"`
}

// ExchangeJSON is one HTTP request and its answer.
type ExchangeJSON struct {
	URL           string     `json:"url"`
	Method        string     `json:"method"`
	Status        int        `json:"status,omitempty"`
	StatusLine    string     `json:"status_line,omitempty"`
	Location      string     `json:"location,omitempty"`
	BodyPrefix    string     `json:"body_prefix,omitempty"`
	BodyTruncated bool       `json:"body_truncated,omitempty"`
	Reused        bool       `json:"reused,omitempty"`
	Error         *ErrorJSON `json:"error,omitempty"`
	DurationMS    int64      `json:"duration_ms"`

	// RequestHeadersWithheld says why the configured request headers were
	// not sent with this request (the certificate did not verify, ...).
	RequestHeadersWithheld string `json:"request_headers_withheld,omitempty"`
}

// HTTPSJSON is the request to the TLS port and its HSTS policy.
type HTTPSJSON struct {
	ExchangeJSON
	CertVerified bool   `json:"cert_verified"`
	CertError    string `json:"cert_error,omitempty"`
	// HSTS is the first Strict-Transport-Security field, absent when the
	// answer had none; HSTSFields counts them.
	HSTS       *HSTSJSON `json:"hsts,omitempty"`
	HSTSFields int       `json:"hsts_fields"`
}

// HSTSJSON is a parsed Strict-Transport-Security header.
type HSTSJSON struct {
	Header            string   `json:"header"`
	Valid             bool     `json:"valid"`
	Problems          []string `json:"problems,omitempty"`
	MaxAge            *int64   `json:"max_age,omitempty"`
	IncludeSubDomains bool     `json:"include_subdomains"`
	Preload           bool     `json:"preload"`
	Unknown           []string `json:"unknown_directives,omitempty"`
}

// PlainJSON is the plain-HTTP probe: its verdict (no-listener,
// redirects-to-https, answers-plain, ...) and the requests behind it.
type PlainJSON struct {
	Verdict string         `json:"verdict"`
	Detail  string         `json:"detail"`
	Loop    bool           `json:"loop,omitempty"`
	Stopped string         `json:"stopped,omitempty"`
	Hops    []ExchangeJSON `json:"hops"`
}

func httpJSON(o *httpprobe.Observation) *HTTPJSON {
	if o == nil {
		return nil
	}
	out := &HTTPJSON{RequestHeaders: o.HeaderNames}
	if hp := o.HTTPS; hp != nil {
		h := &HTTPSJSON{ExchangeJSON: exchangeJSON(hp.Exchange), CertVerified: hp.CertVerified, CertError: hp.CertError, HSTSFields: hp.HSTSFields}
		if p := hp.HSTS; p != nil {
			h.HSTS = &HSTSJSON{Header: p.Raw, Valid: p.Valid, Problems: p.Problems, IncludeSubDomains: p.IncludeSubDomains, Preload: p.Preload, Unknown: p.Unknown}
			if p.Valid {
				age := p.MaxAge
				h.HSTS.MaxAge = &age
			}
		}
		out.HTTPS = h
	}
	if pl := o.Plain; pl != nil {
		pj := &PlainJSON{Verdict: string(pl.Verdict), Detail: pl.Detail, Loop: pl.Loop, Stopped: pl.Stopped, Hops: []ExchangeJSON{}}
		for _, h := range pl.Hops {
			pj.Hops = append(pj.Hops, exchangeJSON(h))
		}
		out.PlainHTTP = pj
	}
	if ex := o.TLSPortPlaintext; ex != nil {
		e := exchangeJSON(ex)
		out.TLSPortPlaintext = &e
	}
	return out
}

func exchangeJSON(ex *httpprobe.Exchange) ExchangeJSON {
	e := ExchangeJSON{
		URL:           ex.URL,
		Method:        ex.Method,
		Status:        ex.StatusCode,
		StatusLine:    ex.StatusLine,
		BodyPrefix:    string(ex.BodyPrefix),
		BodyTruncated: ex.BodyTruncated,
		Reused:        ex.Reused,
		DurationMS:    ex.Duration.Milliseconds(),
	}
	e.RequestHeadersWithheld = ex.HeadersWithheld
	if ex.Header != nil {
		e.Location = ex.Header.Get("Location")
	}
	if ex.Err != "" {
		e.Error = &ErrorJSON{Kind: string(ex.ErrKind), Message: ex.Err}
	}
	return e
}
