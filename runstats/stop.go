package runstats

import "sync/atomic"

var stopCause atomic.Pointer[error]

// RecordStop remembers err as the reason the run must stop (an LLM
// endpoint outage, the sandbox unavailable) and returns it. Only the first
// is kept. A runner's own job error may not carry the cause (prism reports
// a job whose failed bundle left elements pending), so the command reports
// this one; it is seen only where the DoFns run in this process.
func RecordStop(err error) error {
	if err != nil {
		stopCause.CompareAndSwap(nil, &err)
	}
	return err
}

// StopCause is the first reason recorded with RecordStop, or nil.
func StopCause() error {
	if p := stopCause.Load(); p != nil {
		return *p
	}
	return nil
}
