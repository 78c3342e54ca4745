// Package perprocess holds the objects that every DoFn instance of a
// worker process shares (LLM clients, endpoint limiters and breakers,
// sandbox pools, benchmark indexes): one per key, made on first use.
package perprocess

import "sync"

// Map holds one V per key. The zero value is ready to use; a Map must not
// be copied after first use.
type Map[K comparable, V any] struct {
	mu      sync.Mutex
	entries map[K]*entry[V]
}

// entry is one key's object; done is closed once open has returned.
type entry[V any] struct {
	done chan struct{}
	v    V
	err  error
}

// Get returns the object for key, calling open to make it on first use.
// Concurrent first uses of one key wait for a single open, which runs
// without holding up other keys. A failed open is not kept: the next Get
// of that key tries again.
func (m *Map[K, V]) Get(key K, open func() (V, error)) (V, error) {
	m.mu.Lock()
	if m.entries == nil {
		m.entries = map[K]*entry[V]{}
	}
	e, ok := m.entries[key]
	if !ok {
		e = &entry[V]{done: make(chan struct{})}
		m.entries[key] = e
	}
	m.mu.Unlock()
	if ok {
		<-e.done
		return e.v, e.err
	}
	e.v, e.err = open()
	close(e.done)
	if e.err != nil {
		m.mu.Lock()
		if m.entries[key] == e {
			delete(m.entries, key)
		}
		m.mu.Unlock()
	}
	return e.v, e.err
}

// Values returns the objects made so far, in no order, waiting for opens
// still running.
func (m *Map[K, V]) Values() []V {
	m.mu.Lock()
	entries := make([]*entry[V], 0, len(m.entries))
	for _, e := range m.entries {
		entries = append(entries, e)
	}
	m.mu.Unlock()
	return made(entries)
}

// Forget drops key's object, if any; the next Get makes a new one.
func (m *Map[K, V]) Forget(key K) {
	m.mu.Lock()
	delete(m.entries, key)
	m.mu.Unlock()
}

// Drain removes every object that was made and returns them, for the
// caller to close; later Gets make new ones.
func (m *Map[K, V]) Drain() []V {
	m.mu.Lock()
	entries := make([]*entry[V], 0, len(m.entries))
	for _, e := range m.entries {
		entries = append(entries, e)
	}
	m.entries = nil
	m.mu.Unlock()
	return made(entries)
}

// made returns the values of the entries whose open succeeded, waiting for
// opens still running.
func made[V any](entries []*entry[V]) []V {
	var out []V
	for _, e := range entries {
		<-e.done
		if e.err == nil {
			out = append(out, e.v)
		}
	}
	return out
}
