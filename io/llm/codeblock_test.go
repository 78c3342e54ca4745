package llm_test

import (
	"errors"
	"testing"

	"github.com/unitcoder/unitcoder/io/llm"
)

func TestExtractCode(t *testing.T) {
	const fn = "def f(x):\n    return x\n"
	for _, tc := range []struct {
		name, reply, want string
		reason            llm.ParseReason
	}{
		{"one python block", "Here:\n```python\n" + fn + "```\nDone.", fn, ""},
		{"untagged single block", "```\n" + fn + "```", fn, ""},
		{"py tag, crlf", "```py\r\ndef f(x):\r\n    return x\r\n```\r\n", fn, ""},
		{"python block plus shell block", "```bash\npip install x\n```\n```python\n" + fn + "```", fn, ""},
		{"longer fence around ```", "````python\ns = '```'\n````", "s = '```'\n", ""},
		{"indented fence", "  ```python\n" + fn + "  ```", fn, ""},
		{"bare code", fn, fn, ""},
		{"bare code with imports", "import os\n\n" + fn, "import os\n\n" + fn, ""},
		{"empty", "", "", llm.ParseEmpty},
		{"whitespace", " \n\t\n", "", llm.ParseEmpty},
		{"empty block", "```python\n\n```", "", llm.ParseEmpty},
		{"prose only", "I cannot help with that.", "", llm.ParseNoCode},
		{"prose then code unfenced", "Sure! Here it is:\ndef f(x):\n    return x", "", llm.ParseNoCode},
		{"two python blocks", "```python\n" + fn + "```\n```python\nprint(f(1))\n```", "", llm.ParseMultiple},
		{"two untagged blocks", "```\n" + fn + "```\n```\nf(1)\n```", "", llm.ParseMultiple},
		{"truncated", "```python\ndef f(x):\n    return [x,", "", llm.ParseTruncated},
		{"truncated second block", "```python\n" + fn + "```\n```python\nprint(", "", llm.ParseTruncated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := llm.ExtractCode(tc.reply)
			if tc.reason == "" {
				if err != nil || got != tc.want {
					t.Fatalf("got %q, %v; want %q", got, err, tc.want)
				}
				return
			}
			var pe *llm.ParseError
			if !errors.As(err, &pe) || pe.Reason != tc.reason || !errors.Is(err, llm.ErrParse) {
				t.Fatalf("err %v; want reason %s", err, tc.reason)
			}
		})
	}
}
