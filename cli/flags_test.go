package cli

import "flag"

var updateReadme = flag.Bool("update-readme", false, "rewrite the README's generated sections")
