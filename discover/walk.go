package discover

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"

	"github.com/tlsaudit/tlsaudit/internal/inputfile"
	"github.com/tlsaudit/tlsaudit/internal/textsafe"
)

// DefaultMaxFileSize bounds the files read: source and config files are
// small; anything larger is generated, bundled or data.
const DefaultMaxFileSize = inputfile.SourceCap

// skipDirs are never entered: build output, dependencies, tool caches and
// version control, in the ecosystems discover reads. Vendored code is not
// the app's, and build output repeats the app's own sources.
var skipDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true,
	"build": true, "dist": true, "out": true, "target": true,
	".dart_tool": true, ".pub-cache": true, ".pub": true, ".fvm": true, ".symlinks": true, "ephemeral": true,
	"node_modules": true, "bower_components": true, "jspm_packages": true, ".next": true, ".nuxt": true,
	".expo": true, ".expo-shared": true, "coverage": true,
	"Pods": true, "Carthage": true, "DerivedData": true, "xcuserdata": true, ".build": true, ".swiftpm": true,
	".gradle": true, ".idea": true, ".vscode": true, ".cxx": true, ".externalNativeBuild": true,
	"vendor": true, "third_party": true, "third-party": true,
	"__pycache__": true, ".venv": true, "venv": true, ".terraform": true,
}

// testDirs hold tests, whose fixtures name fake hosts and whose helpers
// turn verification off on purpose; skipped unless Options.IncludeTests.
var testDirs = map[string]bool{
	"test": true, "tests": true, "__tests__": true, "__mocks__": true, "spec": true,
	"testdata": true, "fixtures": true, "__fixtures__": true,
	"androidTest": true, "testDebug": true, "testRelease": true, "integration_test": true, "test_driver": true,
}

// skipFiles are manifests and lock files: their URLs are package
// registries, homepages and repositories, not hosts the app calls.
var skipFiles = map[string]bool{
	"package.json": true, "package-lock.json": true, "yarn.lock": true, "pnpm-lock.yaml": true,
	"npm-shrinkwrap.json": true, "bun.lock": true,
	"pubspec.yaml": true, "pubspec.lock": true, ".packages": true, "package_config.json": true,
	".flutter-plugins": true, ".flutter-plugins-dependencies": true,
	"Podfile": true, "Podfile.lock": true, "Package.resolved": true, "Cartfile.resolved": true,
	"Gemfile": true, "Gemfile.lock": true, "go.mod": true, "go.sum": true, "Cargo.lock": true,
	"composer.json": true, "composer.lock": true, "gradle-wrapper.properties": true,
	"tsconfig.json": true, "jsconfig.json": true, ".eslintrc.json": true,
}

// ReadsAsSource reports whether discover reads a file of this name (the
// base name) as source, when the tree's rules do not skip it.
func ReadsAsSource(name string) bool { return langOf(name) != "" }

// langOf returns the language discover reads a file as, or "" to skip it.
func langOf(name string) string {
	if skipFiles[name] {
		return ""
	}
	lower := strings.ToLower(name)
	for _, gen := range []string{".g.dart", ".freezed.dart", ".pb.dart", ".min.js", ".bundle.js", ".chunk.js", ".d.ts", ".podspec"} {
		if strings.HasSuffix(lower, gen) {
			return ""
		}
	}
	if lower == ".env" || strings.HasPrefix(lower, ".env.") {
		return "env"
	}
	switch path.Ext(lower) {
	case ".dart":
		return "dart"
	case ".kt", ".kts":
		return "kotlin"
	case ".java":
		return "java"
	case ".gradle":
		return "gradle"
	case ".swift":
		return "swift"
	case ".m", ".mm", ".h":
		return "objc"
	case ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx":
		return "js"
	case ".go":
		return "go"
	case ".xml":
		return "xml"
	case ".plist":
		return "plist"
	case ".yaml", ".yml":
		return "yaml"
	case ".json":
		return "json"
	case ".properties":
		return "properties"
	case ".xcconfig":
		return "xcconfig"
	}
	return ""
}

// isTestFile reports test sources by the naming conventions of the
// languages read.
func isTestFile(name string) bool {
	lower := strings.ToLower(name)
	base := strings.TrimSuffix(lower, path.Ext(lower))
	return strings.HasSuffix(base, "_test") || strings.HasSuffix(base, ".test") || strings.HasSuffix(base, ".spec") ||
		strings.HasSuffix(name, "Test.kt") || strings.HasSuffix(name, "Test.java") ||
		strings.HasSuffix(name, "Tests.swift") || strings.HasSuffix(name, "Test.swift")
}

// isTestDir reports a test directory, including Xcode test targets
// ("RunnerTests", "AppUITests").
func isTestDir(name string) bool {
	return testDirs[name] || strings.HasSuffix(name, "Tests") && len(name) > len("Tests")
}

// A file is one file the walk found to read.
type file struct {
	rel  string // slash-separated, inside the tree
	lang string
	size int64
}

// walker lists the files of a tree that discover reads.
type walker struct {
	tree         *inputfile.Tree
	root         string // as the user named it, for paths in reports
	includeTests bool
	maxSize      int64
	exclude      map[string]bool // absolute paths
	// excludeFiles are the excluded files that exist, to know them by
	// identity too: a tree named through a link gives them other paths.
	excludeFiles []fs.FileInfo
	patterns     []gitignore.Pattern
	stats        *Stats
	// buildFiles are the build files read only for the app's minimum
	// platforms (buildFileKind), not as source.
	buildFiles []file
}

// walk returns the files to read, in lexical order. It honours every
// .gitignore in the tree (and .git/info/exclude), as git does: patterns
// of a deeper file apply below it and win over those above.
func (w *walker) walk() ([]file, error) {
	w.addPatterns(".git/info/exclude", nil)
	var files []file
	err := fs.WalkDir(w.tree.FS(), ".", func(rel string, d fs.DirEntry, err error) error {
		if err != nil {
			if rel == "." {
				return err
			}
			w.stats.Unreadable++
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		parts := strings.Split(rel, "/")
		if d.IsDir() {
			if rel != "." {
				name := d.Name()
				if skipDirs[name] || (!w.includeTests && isTestDir(name)) {
					w.stats.SkippedDirs++
					return fs.SkipDir
				}
				if w.ignored(parts, true) {
					w.stats.Ignored++
					return fs.SkipDir
				}
			} else {
				parts = nil
			}
			w.addPatterns(path.Join(rel, ".gitignore"), parts)
			return nil
		}
		if !d.Type().IsRegular() {
			// A link is read under its target's own name, when that is
			// in the tree; devices, FIFOs and sockets are not source.
			return nil
		}
		lang, build := langOf(d.Name()), ""
		if lang == "" {
			build = buildFileKind(d.Name())
		}
		if (lang == "" && build == "") || (!w.includeTests && isTestFile(d.Name())) {
			return nil
		}
		if w.ignored(parts, false) {
			w.stats.Ignored++
			return nil
		}
		if len(w.exclude) > 0 {
			if abs, err := filepath.Abs(filepath.Join(w.root, filepath.FromSlash(rel))); err == nil && w.exclude[abs] {
				return nil
			}
		}
		info, err := d.Info()
		if err != nil {
			w.stats.Unreadable++
			return nil
		}
		for _, x := range w.excludeFiles {
			if os.SameFile(x, info) {
				return nil
			}
		}
		if info.Size() > w.maxSize {
			w.stats.TooLarge++
			return nil
		}
		if build != "" {
			w.buildFiles = append(w.buildFiles, file{rel: rel, lang: build, size: info.Size()})
			return nil
		}
		files = append(files, file{rel: rel, lang: lang, size: info.Size()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk %s: %w", textsafe.Escape(w.root), err)
	}
	return files, nil
}

// addPatterns reads the ignore file at rel, if there is one, with its
// patterns applying below domain. One that cannot be read (too large,
// not a regular file, a link out of the tree) is counted and left out.
func (w *walker) addPatterns(rel string, domain []string) {
	data, err := w.tree.ReadFile(rel, inputfile.PatternCap)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case errors.As(err, new(*inputfile.TooLargeError)):
			w.stats.TooLarge++
		default:
			w.stats.Unreadable++
		}
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		w.patterns = append(w.patterns, gitignore.ParsePattern(line, domain))
	}
}

func (w *walker) ignored(parts []string, isDir bool) bool {
	return len(w.patterns) > 0 && gitignore.NewMatcher(w.patterns).Match(parts, isDir)
}

// errBinary marks a file that holds NUL bytes: not text, whatever its
// name says.
var errBinary = errors.New("binary file")

// readText reads a file the walk listed, refusing binary content the way
// git does (a NUL byte in the first 8000 bytes).
func readText(tree *inputfile.Tree, rel string, maxSize int64) (string, error) {
	data, err := tree.ReadFile(rel, maxSize)
	if err != nil {
		return "", err
	}
	if bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
		return "", errBinary
	}
	return string(data), nil
}
