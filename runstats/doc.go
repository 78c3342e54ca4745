// Package runstats is what a run writes besides its records and how it is
// accounted: the output directory names, the kept-function row, the
// counters the transforms record, and stats.json (the funnel, reject
// reasons, LLM usage and the conservation check), built after the run by
// reading the written shards back.
package runstats
