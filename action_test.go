package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tlsaudit/tlsaudit/lab"
)

// The GitHub Action and the example workflow cannot run here (no GitHub),
// so these tests check what can be checked locally: the action's shape,
// that inputs reach scripts only through env, and the action's own shell
// scripts run against a lab, as the runner would run them.

type actionStep struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Env   map[string]string `yaml:"env"`
	With  map[string]string `yaml:"with"`
}

type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

func loadAction(t *testing.T) actionFile {
	t.Helper()
	data, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestActionShape(t *testing.T) {
	a := loadAction(t)
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q", a.Runs.Using)
	}
	steps := a.Runs.Steps
	uploadAt, gateAt := -1, -1
	used := map[string]bool{}
	expr := regexp.MustCompile(`\$\{\{\s*inputs\.([a-z-]+)\s*\}\}`)
	for i, s := range steps {
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q pastes an expression into its script; pass it through env", s.Name)
		}
		for _, v := range s.Env {
			for _, m := range expr.FindAllStringSubmatch(v, -1) {
				used[m[1]] = true
			}
		}
		if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
			uploadAt = i
			if !strings.Contains(s.If, "!cancelled()") || !strings.Contains(s.If, "steps.scan.outputs.sarif-file") {
				t.Errorf("upload must run after a failed gate, only for a written report: if = %q", s.If)
			}
			if s.With["category"] != "" {
				t.Error("a category would override the per-file automationDetails.id")
			}
		}
		if strings.Contains(s.Run, `exit "$TLSAUDIT_EXIT"`) {
			gateAt = i
		}
	}
	if uploadAt < 0 || gateAt < uploadAt {
		t.Errorf("upload step at %d, gate step at %d: the gate must come after the upload", uploadAt, gateAt)
	}
	for name := range a.Inputs {
		if !used[name] && name != "upload" {
			t.Errorf("input %q reaches no step through env", name)
		}
	}
}

func TestExampleWorkflow(t *testing.T) {
	data, err := os.ReadFile("examples/github-workflow.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		On struct {
			Schedule []struct{ Cron string } `yaml:"schedule"`
		} `yaml:"on"`
		Jobs map[string]struct {
			Permissions map[string]string `yaml:"permissions"`
			Steps       []actionStep      `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	if len(wf.On.Schedule) == 0 {
		t.Error("no nightly schedule")
	}
	for name, job := range wf.Jobs {
		if job.Permissions["security-events"] != "write" {
			t.Errorf("job %s lacks security-events: write", name)
		}
		found := false
		for _, s := range job.Steps {
			if strings.HasPrefix(s.Uses, "tlsaudit/tlsaudit@") && s.With["targets"] == "targets.yaml" {
				found = true
			}
		}
		if !found {
			t.Errorf("job %s does not run the action on targets.yaml", name)
		}
	}
}

// TestActionScripts runs the action's build, scan and gate scripts with
// bash, as the runner would, against lab endpoints: the gate's exit code
// comes out of the last step, the SARIF report is written for upload, and
// an input holding shell syntax stays data.
//
// It builds the binary, slow on a cold cache, so it runs only where
// TLSAUDIT_ACTION_TESTS=1 is set, as .ci/run does.
func TestActionScripts(t *testing.T) {
	if os.Getenv("TLSAUDIT_ACTION_TESTS") != "1" {
		t.Skip("builds tlsaudit with the action's build step; run with TLSAUDIT_ACTION_TESTS=1 (.ci/run does)")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to build with")
	}
	a := loadAction(t)
	step := func(name string) actionStep {
		for _, s := range a.Runs.Steps {
			if s.Name == name {
				return s
			}
		}
		t.Fatalf("no step %q", name)
		return actionStep{}
	}
	l, err := lab.Start(lab.Options{Only: []string{"good", "expired"}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	workspace, runnerTemp := t.TempDir(), t.TempDir()
	ca := filepath.Join(workspace, "ca.pem")
	os.WriteFile(ca, l.Env.PKI.Root.PEM(), 0o644)
	var targets bytes.Buffer
	if err := l.WriteTargets(&targets, ca); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(workspace, "ci"), 0o755)
	os.WriteFile(filepath.Join(workspace, "ci", "targets.yaml"), targets.Bytes(), 0o644)
	repo, _ := os.Getwd()

	inputs := map[string]string{}
	for name, in := range a.Inputs {
		inputs[name] = in.Default
	}
	inputs["targets"] = "  ci/targets.yaml  \n\n"
	inputs["args"] = "--timeout 5s"
	inputs["sarif-file"] = "out $(touch pwned).sarif" // must stay a file name
	expr := regexp.MustCompile(`\$\{\{\s*(inputs\.([a-z-]+)|github\.action_path|steps\.scan\.outputs\.([a-z-]+))\s*\}\}`)
	outputs := map[string]string{}
	runStep := func(s actionStep) int {
		t.Helper()
		env := append(os.Environ(), "RUNNER_TEMP="+runnerTemp, "GITHUB_WORKSPACE="+workspace)
		ghOutput := filepath.Join(runnerTemp, "output")
		os.WriteFile(ghOutput, nil, 0o644)
		env = append(env, "GITHUB_OUTPUT="+ghOutput, "GITHUB_STEP_SUMMARY="+filepath.Join(runnerTemp, "step-summary.md"))
		for k, v := range s.Env {
			v = expr.ReplaceAllStringFunc(v, func(m string) string {
				sub := expr.FindStringSubmatch(m)
				switch {
				case sub[2] != "":
					return inputs[sub[2]]
				case sub[3] != "":
					return outputs[sub[3]]
				}
				return repo
			})
			env = append(env, k+"="+v)
		}
		cmd := exec.Command(bash, "-e", "-c", s.Run)
		cmd.Dir, cmd.Env = workspace, env
		out, err := cmd.CombinedOutput()
		code := cmd.ProcessState.ExitCode()
		if err != nil && code < 0 {
			t.Fatalf("%s: %v\n%s", s.Name, err, out)
		}
		data, _ := os.ReadFile(ghOutput)
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				outputs[k] = v
			}
		}
		t.Logf("step %q exit %d\n%s", s.Name, code, out)
		return code
	}
	if code := runStep(step("Build tlsaudit from the action's source")); code != 0 {
		t.Fatalf("build step exit %d", code)
	}
	if code := runStep(step("Scan")); code != 0 {
		t.Fatalf("scan step must succeed so the upload runs; exit %d", code)
	}
	if outputs["exit-code"] != "1" || outputs["sarif-file"] != inputs["sarif-file"] {
		t.Fatalf("outputs = %v", outputs)
	}
	if _, err := os.Stat(filepath.Join(workspace, "pwned")); err == nil {
		t.Fatal("an input was run as shell code")
	}
	data, err := os.ReadFile(filepath.Join(workspace, inputs["sarif-file"]))
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
		t.Fatalf("SARIF: %v %s", err, data)
	}
	if uri := log.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "ci/targets.yaml" {
		t.Errorf("alerts point at %q, want the targets file relative to the workspace", uri)
	}
	// The job summary has the Markdown report, with the gate's verdict.
	summary, err := os.ReadFile(filepath.Join(runnerTemp, "step-summary.md"))
	if err != nil || !bytes.Contains(summary, []byte("## TLS audit")) || !bytes.Contains(summary, []byte("**Gate: failed**")) ||
		!bytes.Contains(summary, []byte("cert\\-expired")) {
		t.Errorf("job summary (%v):\n%s", err, summary)
	}
	if code := runStep(step("Apply the gate")); code != 1 {
		t.Errorf("gate step exit %d, want the scan's 1", code)
	}
}
