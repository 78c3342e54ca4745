package retrieval

import (
	"testing"

	"github.com/unitcoder/unitcoder/pyast/extract"
	"github.com/unitcoder/unitcoder/sample"
)

// TestImportCheck: each reason of the import check, on extracted programs,
// and loadable programs kept.
func TestImportCheck(t *testing.T) {
	fn := &importCheckFn{Modules: []string{"os", "numpy", "json", "ctypes", "__future__", "pickle"}}
	fn.Setup()
	tests := []struct {
		name, src, reason, detail string
	}{
		{"loadable", "import os\nimport numpy as np\n\ndef f(p):\n    return np.asarray(os.listdir(p))\n", "", ""},
		{"future import", "from __future__ import annotations\nimport json\n\ndef f(x: int):\n    return json.dumps(x)\n", "", ""},
		{"relative import", "from .models import Model\nimport os\n\ndef f(p):\n    return Model(os.sep + p)\n", ReasonRelativeImport, "from .models import Model"},
		{"relative import in the closure", "from . import cfg\nimport os\nROOT = cfg.root\n\ndef f(p):\n    return os.path.join(ROOT, p)\n", ReasonRelativeImport, "from . import cfg"},
		{"missing module", "import tensorflow as tf\n\ndef f(x):\n    return tf.constant(x)\n", ReasonMissingModulePrefix + "tensorflow", "import tensorflow as tf"},
		{"refused module", "import ctypes\n\ndef f(x):\n    return ctypes.sizeof(x)\n", ReasonRefusedModulePrefix + "ctypes", "import ctypes"},
		{"a fallback that loads", "try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\n\ndef f(x):\n    return pickle.dumps(x)\n", "", ""},
		{"a fallback where nothing loads", "try:\n    import simplejson as sj\nexcept ImportError:\n    import ujson as sj\n\ndef f(x):\n    return sj.dumps(x)\n",
			ReasonMissingModulePrefix + "simplejson", "import simplejson as sj"},
		{"named like a builtin", "import os\n\ndef open(p):\n    return os.open(p, 0)\n", ReasonShadowsBuiltin, "open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, rs := extract.Extract(sample.FileDoc{ID: "t", Content: tt.src}, extract.DefaultOptions())
			if len(rs) > 0 || len(fs) != 1 {
				t.Fatalf("extract: %d functions, %+v", len(fs), rs)
			}
			var kept []sample.Function
			var rejected []sample.Rejected
			fn.ProcessElement(t.Context(), fs[0], func(f sample.Function) { kept = append(kept, f) },
				func(r sample.Rejected) { rejected = append(rejected, r) })
			if len(kept)+len(rejected) != 1 {
				t.Fatalf("%d kept and %d rejected: every function ends once", len(kept), len(rejected))
			}
			if tt.reason == "" {
				if len(rejected) > 0 {
					t.Errorf("rejected %+v", rejected[0])
				}
				return
			}
			if len(rejected) == 0 || rejected[0].Stage != sample.StageLoad || rejected[0].Reason != tt.reason || rejected[0].Detail != tt.detail {
				t.Errorf("got %+v, want load/%s (%s)", rejected, tt.reason, tt.detail)
			}
		})
	}
}
