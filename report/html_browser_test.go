package report

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tlsaudit/tlsaudit/scanner"
)

// hostileMarkup is a certificate subject and target name that would run
// script or add an element if the page parsed it as HTML.
const hostileMarkup = `<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>`

// TestHTMLInBrowser opens the HTML report in headless Chromium and checks
// what only a browser can: the page raises no console error (a script
// error or a Content-Security-Policy violation would), filtering and
// sorting the findings work, and a hostile certificate subject shows as
// text. It needs Chromium, so it runs only with TLSAUDIT_BROWSER_TESTS=1
// (as .ci/run does, after installing Chromium).
func TestHTMLInBrowser(t *testing.T) {
	if os.Getenv("TLSAUDIT_BROWSER_TESTS") == "" {
		t.Skip("set TLSAUDIT_BROWSER_TESTS=1 to open the HTML report in headless Chromium")
	}
	browser := os.Getenv("TLSAUDIT_CHROMIUM")
	if browser == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				browser = p
				break
			}
		}
	}
	if browser == "" {
		t.Fatal("TLSAUDIT_BROWSER_TESTS is set but no Chromium was found (apt-get install -y chromium, or TLSAUDIT_CHROMIUM=PATH)")
	}

	rs := fixtureResults(t)
	bad := fixtureCert(t, 9, hostileMarkup, []string{"bad.example.com"}, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	rs = append(rs, &scanner.Result{
		Target: &scanner.Target{Index: 7, Name: hostileMarkup, Host: "bad.example.com", Port: 443, ServerName: "bad.example.com"},
		Addr:   "192.0.2.9:443", Start: fixtureStart, Handshake: fixtureHandshake(bad, fixtureResults(t)[0].Handshake.Trust),
		Findings: []scanner.Finding{{CheckID: "chain-self-signed", Severity: scanner.High, Message: "subject " + hostileMarkup + " is self-signed"}},
	})
	page := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(page, renderResults(t, "html", fixtureMeta(), Options{}, rs), 0o644); err != nil {
		t.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()

	// Collect the console (calls, uncaught exceptions, the browser log,
	// where a Content-Security-Policy violation shows) from before the
	// page loads until the checks are done.
	var mu sync.Mutex
	var problems []string
	messages := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()

	u := url.URL{Scheme: "file", Path: page}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		must(err)
		return v
	}
	must(chromedp.Do(ctx, chromedp.Navigate(u.String()), chromedp.WaitReady("#findings-table")))
	title, err := chromedp.Run(ctx, chromedp.Title())
	must(err)
	shownAll := eval(`document.getElementById("shown").textContent`)
	injected := eval(`String(document.querySelectorAll("img").length) + " " + String(document.scripts.length)`)
	// The hostile subject, as text, in its target's chain table; its name
	// in the findings table.
	subject := eval(`Array.from(document.querySelectorAll("td.subject")).map(e => e.textContent).find(t => t.includes("onerror")) || ""`)
	name := eval(`Array.from(document.querySelectorAll("#findings-table tbody td:nth-child(2)")).map(e => e.textContent).find(t => t.includes("script")) || ""`)
	// Filtering by text as a user types it, then by severity.
	must(chromedp.Do(ctx, chromedp.SendKeys("#filter", "cipher-export")))
	shownFiltered := eval(`document.getElementById("shown").textContent`)
	shownCritical := eval(`(() => {
		const f = document.getElementById("filter"); f.value = ""; f.dispatchEvent(new Event("input"));
		const s = document.getElementById("severity"); s.value = "critical"; s.dispatchEvent(new Event("change"));
		const kinds = Array.from(document.querySelectorAll("#findings-table tbody tr")).filter(r => !r.hidden).map(r => r.dataset.kind);
		return document.getElementById("shown").textContent + " " + kinds.join(",");
	})()`)
	// Sorting by target name.
	must(chromedp.Do(ctx, chromedp.Click(`th[data-key="target"] button`)))
	firstTarget := eval(`document.querySelector("#findings-table tbody td:nth-child(2)").textContent`)
	eval(`""`) // one more round trip, so the console has caught up
	cancel()
	<-done

	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("console errors: %s", strings.Join(problems, "; "))
	}
	if title != "TLS audit" || injected != "0 1" {
		t.Errorf("hostile markup acted: title %q, images and scripts %q", title, injected)
	}
	if subject != bad.Subject.String() {
		t.Errorf("hostile subject shows as %q, want the text %s", subject, bad.Subject.String())
	}
	if name != hostileMarkup {
		t.Errorf("hostile target name shows as %q", name)
	}
	if shownAll != "14 of 14 shown" || shownFiltered != "1 of 14 shown" || shownCritical != "2 of 14 shown critical,critical" {
		t.Errorf("filtering: all %q, by text %q, critical %q", shownAll, shownFiltered, shownCritical)
	}
	if !strings.HasPrefix(firstTarget, "<img") {
		t.Errorf("sorted by target, first row is %q, want the one starting with <img", firstTarget)
	}
}
