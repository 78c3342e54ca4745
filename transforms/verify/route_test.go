package verify

import (
	"testing"

	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
)

// TestUnfixable: only code errors go on to fix rounds; a verdict no change
// of the code can turn into a pass ends the sample with its reason.
func TestUnfixable(t *testing.T) {
	cases := []struct {
		status sandbox.Status
		note   string
		reason string
	}{
		{sandbox.StatusFail, "", ""},
		{sandbox.StatusError, "", ""},
		{sandbox.StatusTimeout, "", ""},
		{sandbox.StatusSkipped, "", ""},
		{sandbox.StatusEnvError, "missing module keras", "env_error:keras"},
		{sandbox.StatusLoadError, "", "load_error"},
		{sandbox.StatusVacuous, "", "vacuous"},
		{sandbox.StatusTamper, "", "tamper"},
		{sandbox.StatusRejected, "", "guard_rejected"},
	}
	for _, c := range cases {
		x := sample.Sample{Status: string(c.status), Attempts: []sample.Attempt{{Note: c.note}}}
		reason, stop := Unfixable(x)
		if reason != c.reason || stop != (c.reason != "") {
			t.Errorf("%s: Unfixable = %q, %v; want %q", c.status, reason, stop, c.reason)
		}
	}
}
