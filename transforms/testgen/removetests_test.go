package testgen

import (
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

// TestRemoveTests: the named methods go (decorators too), others and
// helpers stay, an emptied class gets pass, and the result still parses.
func TestRemoveTests(t *testing.T) {
	tests := `import unittest
from unittest import mock

class TestA(unittest.TestCase):
    def setUp(self):
        self.x = 1

    def test_one(self):
        self.assertEqual(self.x, 1)

    @mock.patch("os.getcwd")
    def test_two(self, m):
        self.assertTrue(m)

    def test_three(self):
        pass

class TestB(unittest.TestCase):
    def test_only(self):
        self.assertTrue(True)

if __name__ == "__main__":
    unittest.main()
`
	got := RemoveTests(tests, []string{"TestA.test_two", "TestB.test_only", "TestC.test_missing"})
	if m := TestMethods(got); !reflect.DeepEqual(m, []string{"TestA.test_one", "TestA.test_three"}) {
		t.Errorf("methods left %v\n%s", m, got)
	}
	for _, want := range []string{"def setUp(self):", "class TestB(unittest.TestCase):\n    pass\n", "unittest.main()"} {
		if !strings.Contains(got, want) {
			t.Errorf("pruned tests lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "mock.patch") {
		t.Errorf("the removed test's decorator stayed:\n%s", got)
	}
	if got := RemoveTests(tests, nil); got != tests {
		t.Errorf("removing nothing changed the tests")
	}
	if _, err := exec.LookPath("/usr/bin/python3"); err != nil {
		t.Skip("no /usr/bin/python3 to compile the pruned tests")
	}
	cmd := exec.Command("/usr/bin/python3", "-c", "import sys; compile(sys.stdin.read(), 't', 'exec')")
	cmd.Stdin = strings.NewReader(got)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("pruned tests do not compile: %v\n%s", err, out)
	}
}
