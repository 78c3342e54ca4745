package perprocess

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func TestGetOpensOncePerKeyUnderConcurrency(t *testing.T) {
	var m Map[string, *int]
	var opens atomic.Int32
	var wg sync.WaitGroup
	got := make([]*int, 32)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := m.Get("a", func() (*int, error) {
				opens.Add(1)
				n := 7
				return &n, nil
			})
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		}()
	}
	wg.Wait()
	if opens.Load() != 1 {
		t.Fatalf("opened %d times, want 1", opens.Load())
	}
	for _, v := range got {
		if v != got[0] {
			t.Fatal("callers got different objects for one key")
		}
	}
	other, _ := m.Get("b", func() (*int, error) { n := 8; return &n, nil })
	if other == got[0] || *other != 8 {
		t.Fatal("a second key shared the first key's object")
	}
}

func TestFailedOpenIsRetried(t *testing.T) {
	var m Map[int, string]
	if _, err := m.Get(1, func() (string, error) { return "", errors.New("down") }); err == nil {
		t.Fatal("want the open's error")
	}
	v, err := m.Get(1, func() (string, error) { return "up", nil })
	if err != nil || v != "up" {
		t.Fatalf("second Get = %q, %v; want a fresh open", v, err)
	}
}

func TestDrainReturnsMadeObjectsAndStartsOver(t *testing.T) {
	var m Map[int, int]
	m.Get(1, func() (int, error) { return 10, nil })
	m.Get(2, func() (int, error) { return 20, nil })
	m.Get(3, func() (int, error) { return 0, errors.New("no") })
	drained := m.Drain()
	if len(drained) != 2 || drained[0]+drained[1] != 30 {
		t.Fatalf("Drain = %v, want [10 20] in some order", drained)
	}
	v, _ := m.Get(1, func() (int, error) { return 11, nil })
	if v != 11 {
		t.Fatalf("after Drain, Get = %d; want a new object", v)
	}
}

func TestValuesAndForget(t *testing.T) {
	var m Map[string, int]
	m.Get("a", func() (int, error) { return 1, nil })
	m.Get("b", func() (int, error) { return 2, nil })
	if v := m.Values(); len(v) != 2 || v[0]+v[1] != 3 {
		t.Fatalf("Values = %v, want 1 and 2", v)
	}
	m.Forget("a")
	if v := m.Values(); len(v) != 1 || v[0] != 2 {
		t.Fatalf("after Forget(a), Values = %v, want [2]", v)
	}
	if v, _ := m.Get("a", func() (int, error) { return 5, nil }); v != 5 {
		t.Fatalf("after Forget, Get = %d, want a new object", v)
	}
}

// TestValuesDuringGetNeverSeeAHalfMadeObject: Values and Drain running
// alongside first Gets wait for the opens; no Get returns a zero object.
func TestValuesDuringGetNeverSeeAHalfMadeObject(t *testing.T) {
	for round := 0; round < 50; round++ {
		var m Map[int, *int]
		var wg sync.WaitGroup
		for k := 0; k < 8; k++ {
			wg.Add(2)
			go func() {
				defer wg.Done()
				v, err := m.Get(k, func() (*int, error) { n := k; return &n, nil })
				if err != nil || v == nil || *v != k {
					t.Errorf("Get(%d) = %v, %v", k, v, err)
				}
			}()
			go func() {
				defer wg.Done()
				for _, v := range m.Values() {
					if v == nil {
						t.Error("Values returned a nil object")
					}
				}
			}()
		}
		wg.Wait()
	}
}
