package appcode

import "testing"

const infoPlist = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>CFBundleName</key>
	<string>Demo</string>
	<key>NSAppTransportSecurity</key>
	<dict>
		<key>NSExceptionDomains</key>
		<dict>
			<key>legacy.example.com</key>
			<dict>
				<key>NSIncludesSubdomains</key>
				<true/>
				<key>NSExceptionMinimumTLSVersion</key>
				<string>TLSv1.0</string>
				<key>NSExceptionRequiresForwardSecrecy</key>
				<false/>
			</dict>
			<key>cdn.example.com</key>
			<dict>
				<key>NSExceptionAllowsInsecureHTTPLoads</key>
				<true/>
			</dict>
		</dict>
	</dict>
</dict>
</plist>
`

func TestParseATS(t *testing.T) {
	p := ParseATS(NewSourceFile("ios/Runner/Info.plist", "plist", infoPlist))
	if p == nil || p.AllowsArbitraryLoads || len(p.Exceptions) != 2 {
		t.Fatalf("policy %+v", p)
	}
	if p.Source.Line != 7 {
		t.Errorf("NSAppTransportSecurity at %v, want line 7", p.Source)
	}
	legacy := p.For("api.legacy.example.com")
	if legacy == nil || legacy.Domain != "legacy.example.com" || legacy.MinimumTLS != "TLSv1.0" || !legacy.ForwardSecrecyOptional || legacy.Source.Line != 11 {
		t.Errorf("exception for a subdomain of legacy.example.com: %+v", legacy)
	}
	if e := p.For("img.cdn.example.com"); e != nil {
		t.Errorf("cdn.example.com's exception has no NSIncludesSubdomains but covers a subdomain: %+v", e)
	}
	if e := p.For("cdn.example.com"); e == nil || !e.AllowsInsecureHTTP || e.ForwardSecrecyOptional {
		t.Errorf("cdn.example.com: %+v", e)
	}
	if p := ParseATS(NewSourceFile("Info.plist", "plist", "<plist><dict><key>CFBundleName</key><string>x</string></dict></plist>")); p == nil || len(p.Exceptions) != 0 || p.AllowsArbitraryLoads {
		t.Errorf("plist without ATS keys: %+v", p)
	}
	if p := ParseATS(NewSourceFile("Info.plist", "plist", "bplist00 binary")); p != nil {
		t.Errorf("binary plist parsed: %+v", p)
	}
}
