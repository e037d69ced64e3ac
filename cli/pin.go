package cli

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tlsaudit/tlsaudit/internal/certinfo"
	"github.com/tlsaudit/tlsaudit/internal/inputfile"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
	"github.com/tlsaudit/tlsaudit/internal/words"
	"github.com/tlsaudit/tlsaudit/scanner"
	"github.com/tlsaudit/tlsaudit/targets"
)

func newPinCmd(env *environment) *cobra.Command {
	var serverName, ca string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "pin [flags] host[:port] | FILE ...",
		Short: "Print the SPKI pins of an endpoint's chain or of certificate files",
		Long: `Print the pins (SHA-256 of each certificate's public key, base64, as OkHttp,
Android network security config, TrustKit and HPKP write them) of a live
endpoint's chain, or of the certificates in PEM or DER files, as a 'pins:'
list to paste into a targets file. Each pin carries the certificate's role
and subject as a comment.

For an endpoint, the handshake is the scanner's own (same SNI, trust store
and timeouts as 'scan'); when the chain verifies, the root it verifies to is
listed too, though servers do not send it. An argument naming an existing
file is read as certificates (a folder or device is refused).

Pin more than one key (the leaf's and a backup, or the CA's intermediate and
root): an app pinning only the leaf breaks at the next key change.`,
		Example: `  tlsaudit pin api.example.com
  tlsaudit pin 10.0.0.5:8443 --servername api.internal --ca internal-root.pem
  tlsaudit pin fullchain.pem`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if timeout <= 0 {
				return usageErr("--timeout must be longer than zero")
			}
			var out strings.Builder
			failed := false
			files := targets.NewFileCache() // --ca is read once for every endpoint
			for i, arg := range args {
				if i > 0 {
					out.WriteString("\n")
				}
				var err error
				// Any path that exists is a file the user meant, read as
				// files are (a folder or a device is refused there), rather
				// than a host name looked up in DNS.
				if _, statErr := os.Lstat(arg); statErr == nil {
					err = pinFile(&out, arg)
				} else {
					err = pinEndpoint(cmd.Context(), &out, arg, serverName, ca, timeout, files)
				}
				var ee *exitError
				switch {
				case errors.As(err, &ee):
					return err
				case err != nil:
					fmt.Fprintf(env.stderr, "tlsaudit: error: %s: %v\n", textsafe.Escape(arg), err)
					failed = true
				}
			}
			if _, err := io.WriteString(env.stdout, out.String()); err != nil {
				return failure(err)
			}
			if failed {
				return exitCode(ExitFindings)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&serverName, "servername", "", "server name to send as SNI and verify (default: the host)")
	fl.StringVar(&ca, "ca", "", "trust the CA certificates in `FILE` instead of the system roots (to list the private root's pin)")
	fl.DurationVar(&timeout, "timeout", scanner.DefaultConnectTimeout, "connect plus TLS handshake")
	return cmd
}

// pinEndpoint handshakes with a host through the scanner, with no checks,
// and prints the pins of the served chain and the root it verifies to.
// FromArgs checks the flags ("--ca: cannot read CA file ...").
func pinEndpoint(ctx context.Context, w io.Writer, arg, serverName, ca string, timeout time.Duration, files *targets.FileCache) error {
	opts := targets.Options{Files: files}
	d := targets.Duration(timeout)
	opts.Flags.Timeout = &d
	if ca != "" {
		opts.Flags.CA = &ca
	}
	tf, err := targets.FromArgs([]string{arg}, opts)
	if err != nil {
		return &exitError{ExitUsage, err}
	}
	t := tf.Targets[0]
	if serverName != "" {
		if t.ServerName, err = targets.CanonicalHost(serverName); err != nil {
			return usageErr("--servername: %v", err)
		}
	}
	var r *scanner.Result
	scanner.New(scanner.Options{}).ScanTarget(ctx, t, func(res *scanner.Result) { r = res })
	if r.Err != nil {
		return r.Err
	}
	h := r.Handshake
	if len(h.Chain) == 0 {
		return errors.New("the server's certificate could not be parsed")
	}
	fmt.Fprintf(w, "# %s", textsafe.Escape(t.HostPort()))
	if t.SNI() != "" {
		fmt.Fprintf(w, " (server name %s)", textsafe.Escape(t.ServerName))
	}
	fmt.Fprintf(w, ": %d served, trust %s (%s)\n", len(h.Chain), h.Trust.Status, textsafe.Escape(h.Trust.Roots))
	certs := h.Chain
	roles := make([]string, len(certs))
	for i, c := range certs {
		roles[i] = roleOf(i, c)
	}
	if v := h.Trust.Verified; len(v) > 0 {
		root := v[len(v)-1]
		if !containsCert(certs, root) {
			certs = append(certs, root)
			roles = append(roles, "root, from the trust store (not served)")
		}
	}
	writePins(w, certs, roles)
	return nil
}

// pinFile prints the pins of the certificates in a PEM or DER file (or
// pipe) of at most inputfile.CertCap bytes.
func pinFile(w io.Writer, path string) error {
	data, err := inputfile.ReadFile(path, inputfile.CertCap)
	if ie, ok := errors.AsType[*inputfile.Error](err); ok {
		return ie.Err // the caller names the file
	}
	if err != nil {
		return err
	}
	certs, err := certinfo.ParseCertificates(data)
	if err != nil {
		return err
	}
	roles := make([]string, len(certs))
	for i, c := range certs {
		roles[i] = roleOf(i, c)
	}
	fmt.Fprintf(w, "# %s: %d %s\n", textsafe.Escape(path), len(certs), words.Plural(len(certs), "certificate", "certificates"))
	writePins(w, certs, roles)
	return nil
}

// writePins writes a YAML `pins:` list, one pin per certificate with its
// role, subject and expiry as a comment. Subjects come from servers or
// files: escaped, so they stay on their comment line.
func writePins(w io.Writer, certs []*x509.Certificate, roles []string) {
	fmt.Fprintln(w, "pins:")
	for i, c := range certs {
		fmt.Fprintf(w, "  - %q  # %s: %s (expires %s)\n", targets.PinPrefix+certinfo.SPKIPin(c), roles[i],
			textsafe.Escape(c.Subject.String()), c.NotAfter.UTC().Format("2006-01-02"))
	}
}

func roleOf(i int, c *x509.Certificate) string {
	switch {
	case certinfo.SelfIssued(c) && c.IsCA:
		return "root"
	case i == 0 && !c.IsCA:
		return "leaf"
	case c.IsCA:
		return "intermediate"
	}
	return "certificate"
}

func containsCert(certs []*x509.Certificate, c *x509.Certificate) bool {
	for _, x := range certs {
		if x.Equal(c) {
			return true
		}
	}
	return false
}
