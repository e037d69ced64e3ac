package discover_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsaudit/tlsaudit/discover"
)

func platformLines(d *discover.Discovery, root string) []string {
	var out []string
	for _, p := range d.Platforms {
		line := fmt.Sprintf("%s %s:%d", p.Clients(), strings.TrimPrefix(p.Source.File, filepath.ToSlash(root)+"/"), p.Source.Line)
		if p.Default != "" {
			line += " (default)"
		}
		out = append(out, line)
	}
	return out
}

// TestPlatforms: discover reads the app's minimum Android and iOS versions
// from each place a build declares them, keeps the lowest, ignores
// commented-out declarations, and points at the line; a Flutter app that
// declares none gets Flutter's defaults, said to be defaults.
func TestPlatforms(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"groovy gradle and podfile", map[string]string{
			"android/app/build.gradle": "android {\n    defaultConfig {\n        // minSdkVersion 16\n        minSdkVersion 21\n    }\n}\n",
			"ios/Podfile":              "# platform :ios, '9.0'\nplatform :ios, '14.0'\n",
			"lib/main.dart":            "void main() {}\n",
		}, []string{"android-21+ android/app/build.gradle:4", "ios-14+ ios/Podfile:2"}},
		{"kotlin dsl, manifest, pbxproj: lowest wins", map[string]string{
			"android/app/build.gradle.kts":             "android {\n  defaultConfig {\n    minSdk = 26\n  }\n}\n",
			"android/app/src/main/AndroidManifest.xml": "<manifest xmlns:android=\"http://schemas.android.com/apk/res/android\">\n  <uses-sdk android:minSdkVersion=\"23\" />\n</manifest>\n",
			"ios/App.xcodeproj/project.pbxproj":        "buildSettings = {\n\tIPHONEOS_DEPLOYMENT_TARGET = 16.0;\n};\nbuildSettings = {\n\tIPHONEOS_DEPLOYMENT_TARGET = 15.4;\n};\n",
		}, []string{"android-23+ android/app/src/main/AndroidManifest.xml:2", "ios-15+ ios/App.xcodeproj/project.pbxproj:5"}},
		{"swift package", map[string]string{
			"Package.swift": "// swift-tools-version:5.9\nlet package = Package(\n  name: \"App\",\n  platforms: [.iOS(.v15), .macOS(.v12)]\n)\n",
		}, []string{"ios-15+ Package.swift:4"}},
		{"flutter defaults", map[string]string{
			"pubspec.yaml":             "name: app\ndependencies:\n  flutter:\n    sdk: flutter\n",
			"android/app/build.gradle": "android {\n    defaultConfig {\n        minSdk = flutter.minSdkVersion\n    }\n}\n",
			"ios/Podfile":              "# platform :ios, '13.0'\n",
			"lib/main.dart":            "void main() {}\n",
		}, []string{"android-24+ android/app/build.gradle:3 (default)", "ios-13+ pubspec.yaml:0 (default)"}},
		{"no platform", map[string]string{"src/app.js": "fetch('https://api.example-app.com')\n"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeTree(t, t.TempDir(), c.files)
			d, err := discover.Run(dir, discover.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := platformLines(d, dir)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("platforms %q, want %q", got, c.want)
			}
		})
	}
}

// TestATSFromInfoPlist: discover reads the app's ATS exceptions.
func TestATSFromInfoPlist(t *testing.T) {
	dir := writeTree(t, t.TempDir(), map[string]string{
		"ios/Runner/Info.plist": "<plist><dict><key>NSAppTransportSecurity</key><dict><key>NSExceptionDomains</key><dict>" +
			"<key>legacy.example.com</key><dict><key>NSExceptionRequiresForwardSecrecy</key><false/></dict>" +
			"</dict></dict></dict></plist>\n",
		"ios/Runner/AppDelegate.swift": "let u = URL(string: \"https://legacy.example.com/v1\")\n",
	})
	d, err := discover.Run(dir, discover.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.ATS == nil || len(d.ATS.Exceptions) != 1 || !d.ATS.Exceptions[0].ForwardSecrecyOptional {
		t.Fatalf("ATS %+v", d.ATS)
	}
}
