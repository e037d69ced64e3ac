package targets

import (
	"strings"
)

// maxLine is the longest line a line list may have.
const maxLine = 1024 * 1024

// utf8BOM is the byte-order mark Windows editors start files with.
const utf8BOM = "\ufeff"

// lineText is a line of a line list without its # comment or a leading
// byte-order mark (only the first line has one; the check is cheap, and
// re-reading one line by its offset need not know whether it is first).
func lineText(line string) string {
	text, _, _ := strings.Cut(strings.TrimPrefix(line, utf8BOM), "#")
	return text
}

// looksLikeYAML reports whether a line of a line list is a YAML targets
// file's top-level key: the file was meant as YAML but is not named so,
// and reading it as hosts would scan a host called "targets".
func looksLikeYAML(text string) bool {
	for _, key := range []string{"targets:", "defaults:"} {
		if strings.HasPrefix(text, key) {
			return true
		}
	}
	return false
}

// yamlHint says how to have a YAML file read as YAML.
func (l *loader) yamlHint() string {
	if l.file == "<stdin>" {
		return "looks like a YAML targets file, but standard input is read as one host[:port] [servername] per line; save it as a .yaml file and give that to -f"
	}
	return "looks like a YAML targets file, but only names ending in .yaml or .yml are read as YAML; name it .yaml"
}
