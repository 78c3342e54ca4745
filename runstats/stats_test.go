package runstats

import "testing"

func TestStageOf(t *testing.T) {
	for path, want := range map[string]string{
		"root/synthesize/GenerateTests/GroupIntoBatches": "GenerateTests",
		"root/synthesize/Retrieve/Extract":               "Extract",
		"root/extract/Retrieve/Dedup/ExactDedup":         "Dedup",
		"root/verify/Verify":                             "Verify",
		"other":                                          "other",
	} {
		if got := stageOf(path); got != want {
			t.Errorf("stageOf(%q) = %q, want %q", path, got, want)
		}
	}
}
