package verify

import (
	"fmt"
	stdlog "log"

	"github.com/unitcoder/unitcoder/internal/perprocess"
	"github.com/unitcoder/unitcoder/sandbox"
)

var pools perprocess.Map[string, *sandbox.Pool]

// SharedPool returns the process-wide pool for cfg, starting it on first use.
// Pools are shared by every DoFn instance in the process and live until
// CloseSharedPools.
func SharedPool(cfg sandbox.Config) (*sandbox.Pool, error) {
	keyed := cfg
	keyed.Logf = nil // functions are not comparable; the rest identifies the pool
	return pools.Get(fmt.Sprintf("%+v", keyed), func() (*sandbox.Pool, error) {
		if cfg.Logf == nil {
			// The active isolation level is announced once per pool.
			cfg.Logf = stdlog.Printf
		}
		return sandbox.New(cfg)
	})
}

// CloseSharedPools stops every shared pool; later calls to SharedPool start
// new ones.
func CloseSharedPools() {
	for _, p := range pools.Drain() {
		p.Close()
	}
}
