package discover

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/tlsaudit/tlsaudit/appcode"
	"github.com/tlsaudit/tlsaudit/internal/fileloc"
	"github.com/tlsaudit/tlsaudit/internal/inputfile"
)

// A Platform is the oldest OS version an app supports, as its build files
// declare it: scan --discover checks the app's hosts against exactly the
// clients from there up.
type Platform struct {
	// OS is "android" (Min is an API level) or "ios" (Min is a major
	// version).
	OS  string
	Min int
	// Source is the line that sets it (for a Flutter default, the line
	// that takes Flutter's value, or pubspec.yaml when nothing does).
	Source fileloc.Location
	// Default, when set, says the value is Flutter's default and which.
	Default string
}

// Clients is the platform as a clients setting ("android-24+").
func (p Platform) Clients() string { return p.OS + "-" + strconv.Itoa(p.Min) + "+" }

// Flutter's defaults, for an app that does not set its own minimum.
const (
	// flutterMinSdk is flutter.minSdkVersion: minSdkVersionInt in
	// flutter/flutter packages/flutter_tools/lib/src/android/gradle_utils.dart
	// (commit 000a6d6447e77b91fc31894c20a6e0bd74941c66, read 2026-12-04).
	flutterMinSdk = 24
	// flutterMinIOS is IPHONEOS_DEPLOYMENT_TARGET in Flutter's app template,
	// packages/flutter_tools/templates/app/ios.tmpl/Runner.xcodeproj/project.pbxproj.tmpl
	// (commit 063f798a7d8c87d7e58a380918fdcfb110f2be47, read 2026-12-04).
	flutterMinIOS = 13
)

var (
	// minSdk 21, minSdk = 21, minSdkVersion(21), minSdkVersion 21, and
	// the Flutter forms minSdk = flutter.minSdkVersion.
	gradleMinSdk = regexp.MustCompile(`(?m)^[ \t]*minSdk(?:Version)?\b[ \t]*(?:=[ \t]*|\([ \t]*|[ \t]+)(\d+|flutter\.minSdkVersion)`)
	manifestMin  = regexp.MustCompile(`android:minSdkVersion\s*=\s*"(\d+)"`)
	packageIOS   = regexp.MustCompile(`\.iOS\(\s*(?:\.v(\d+)|"(\d+)[."])`)
	podfileIOS   = regexp.MustCompile(`(?m)^[ \t]*platform[ \t]+:ios[ \t]*,[ \t]*['"](\d+)`)
	pbxprojIOS   = regexp.MustCompile(`IPHONEOS_DEPLOYMENT_TARGET\s*=\s*"?(\d+)`)
	pubspecSDK   = regexp.MustCompile(`(?m)^[ \t]+sdk:[ \t]*flutter[ \t]*$`)
)

// platformFacts collects the minimum platforms and the ATS policy of a
// tree while its files are read.
type platformFacts struct {
	android, ios *Platform
	ats          *appcode.ATSPolicy
	flutter      *fileloc.Location // pubspec.yaml of a Flutter app
}

// lower keeps the lower of the platform found so far and p: an app
// supports the oldest version any of its build files allows.
func lower(cur **Platform, p Platform) {
	if *cur == nil || p.Min < (*cur).Min || (p.Min == (*cur).Min && (*cur).Default != "" && p.Default == "") {
		*cur = &p
	}
}

// source reads the facts of one source file (Gradle, the manifest,
// Package.swift, Info.plist), matching its comment-free code.
func (pf *platformFacts) source(src *appcode.SourceFile) {
	base := path.Base(src.Path)
	switch {
	case src.Lang == "gradle" || strings.HasSuffix(base, ".gradle.kts"):
		for _, m := range gradleMinSdk.FindAllStringSubmatchIndex(src.Code, -1) {
			val := src.Code[m[2]:m[3]]
			p := Platform{OS: "android", Source: src.Location(m[2])}
			if val == "flutter.minSdkVersion" {
				p.Min, p.Default = flutterMinSdk, flutterAndroidDefault
			} else if p.Min, _ = strconv.Atoi(val); p.Min == 0 {
				continue
			}
			lower(&pf.android, p)
		}
	case base == "AndroidManifest.xml":
		for _, m := range manifestMin.FindAllStringSubmatchIndex(src.Code, -1) {
			if n, err := strconv.Atoi(src.Code[m[2]:m[3]]); err == nil && n > 0 {
				lower(&pf.android, Platform{OS: "android", Min: n, Source: src.Location(m[2])})
			}
		}
	case base == "Package.swift":
		pf.matchIOS(src, packageIOS)
	case base == "Info.plist":
		if p := appcode.ParseATS(src); p != nil && (pf.ats == nil || len(p.Exceptions) > len(pf.ats.Exceptions) || p.AllowsArbitraryLoads) {
			pf.ats = p
		}
	}
}

func (pf *platformFacts) matchIOS(src *appcode.SourceFile, re *regexp.Regexp) {
	text := src.Code
	if text == "" {
		text = src.Text
	}
	for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
		for g := 1; 2*g+1 < len(m); g++ {
			if m[2*g] < 0 {
				continue
			}
			if n, err := strconv.Atoi(text[m[2*g]:m[2*g+1]]); err == nil && n > 0 {
				lower(&pf.ios, Platform{OS: "ios", Min: n, Source: src.Location(m[2*g])})
			}
			break
		}
	}
}

// buildFile reads a build file discover does not read as source (the
// Podfile, an Xcode project, pubspec.yaml), bounded like source files.
func (pf *platformFacts) buildFile(tree *inputfile.Tree, root string, f file, maxSize int64) {
	text, err := readText(tree, f.rel, maxSize)
	if err != nil {
		return
	}
	src := appcode.NewSourceFile(displayPath(root, f.rel), "", text)
	switch f.lang {
	case "podfile":
		// Ruby comments: a commented-out platform line is Flutter's
		// template default, not the app's choice.
		src.Code = rubyComments.ReplaceAllStringFunc(text, func(s string) string { return strings.Repeat(" ", len(s)) })
		pf.matchIOS(src, podfileIOS)
	case "pbxproj":
		pf.matchIOS(src, pbxprojIOS)
	case "pubspec":
		if pubspecSDK.MatchString(text) {
			loc := fileloc.Location{File: src.Path}
			pf.flutter = &loc
		}
	}
}

var rubyComments = regexp.MustCompile(`(?m)#.*$`)

// buildFileKind names the build files read for platforms only.
func buildFileKind(name string) string {
	switch {
	case name == "Podfile":
		return "podfile"
	case strings.HasSuffix(name, ".pbxproj"):
		return "pbxproj"
	case name == "pubspec.yaml":
		return "pubspec"
	}
	return ""
}

const (
	flutterAndroidDefault = "Flutter's default minSdkVersion (flutter.minSdkVersion = 24, flutter_tools gradle_utils.dart)"
	flutterIOSDefault     = "Flutter's default iOS deployment target (13.0, flutter_tools app template project.pbxproj)"
)

// platforms are the app's minimum platforms, Android first; a Flutter app
// that sets none for a platform gets Flutter's default for it.
func (pf *platformFacts) platforms() []Platform {
	if pf.flutter != nil {
		if pf.android == nil {
			pf.android = &Platform{OS: "android", Min: flutterMinSdk, Source: *pf.flutter, Default: flutterAndroidDefault}
		}
		if pf.ios == nil {
			pf.ios = &Platform{OS: "ios", Min: flutterMinIOS, Source: *pf.flutter, Default: flutterIOSDefault}
		}
	}
	var out []Platform
	for _, p := range []*Platform{pf.android, pf.ios} {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out
}
