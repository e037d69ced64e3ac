package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/tlsaudit/tlsaudit/targets"
)

// settingFlags are scan's flags for the settings a targets file's
// defaults may set, one per entry of targets.SettingsTable that has a
// flag. They replace the file's defaults, not a target's own settings
// (skip_checks add up).
type settingFlags struct {
	values map[string]any // flag name → pointer to its value
}

func (f *settingFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	f.values = map[string]any{}
	for _, st := range targets.SettingsTable {
		var v any
		switch st.Kind {
		case targets.FlagNone:
			continue
		case targets.FlagString:
			v = fl.String(st.Flag, st.Default.(string), st.Help)
		case targets.FlagInt:
			p := new(int)
			intFlag(fl, p, st.Flag, st.Default.(int), st.Help)
			v = p
		case targets.FlagBool:
			v = fl.Bool(st.Flag, st.Default.(bool), st.Help)
		case targets.FlagDuration:
			v = fl.Duration(st.Flag, st.Default.(time.Duration), st.Help)
		case targets.FlagList:
			v = fl.StringSlice(st.Flag, nil, st.Help)
		case targets.FlagRepeat:
			v = fl.StringArray(st.Flag, nil, st.Help)
		}
		f.values[st.Flag] = v
	}
}

// value is the flag's value: string, int, bool, time.Duration or
// []string.
func (f *settingFlags) value(flag string) any {
	switch p := f.values[flag].(type) {
	case *string:
		return *p
	case *int:
		return *p
	case *bool:
		return *p
	case *time.Duration:
		return *p
	case *[]string:
		return *p
	}
	return nil
}

func (f *settingFlags) str(flag string) string { s, _ := f.value(flag).(string); return s }

func (f *settingFlags) list(flag string) []string { l, _ := f.value(flag).([]string); return l }

// apply sets the flags the user gave on s; the targets package checks
// their values (targets.CheckFlags), naming the flags.
func (f *settingFlags) apply(changed func(string) bool, s *targets.Settings) error {
	if (f.str("client-cert") == "") != (f.str("client-key") == "") {
		return usageErr("--client-cert and --client-key go together")
	}
	for _, st := range targets.SettingsTable {
		if st.Kind == targets.FlagNone || !changed(st.Flag) {
			continue
		}
		if v := f.value(st.Flag); st.Applies(v) {
			st.SetFlag(s, v)
		}
	}
	return nil
}
