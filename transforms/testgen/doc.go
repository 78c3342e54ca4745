// Package testgen is the test-generation stage: an LLM writes a unittest
// class TestCases for each retrieved function.
//
// In: PCollection<sample.Function>. Out: PCollection<sample.Sample> with
// Tests set, and PCollection<sample.Rejected> (stage "testgen") for
// functions that got no usable tests. Reasons:
//   - llm:<kind>: the prompt itself failed (a 400/422 refusal, or a
//     malformed, empty or truncated reply; see io/llm.Reason). An infrastructure fault (connection, 5xx, auth,
//     unknown model, an outage past --llm_outage_timeout) is never a
//     reject: it stops the run (llmcall.Fatal);
//   - parse:<reason>: the reply held no single complete code block;
//   - no_test_cases: the code defines no unittest.TestCase test method;
//   - shadowing_unrepairable: the tests redefine the code under test and
//     nothing testable is left once the copies are removed;
//   - not_selected: the function was not in --select_ids.
//
// Tests that redefine, at top level, a name the code defines (a copy of
// the function pasted into the test file) would check the copy, not the
// code. Such definitions are removed before any verification and the
// repair is recorded in Sample.TestRepair ("removed_redefinition:NAME").
//
// Tuned by the LLM flags (--llm_url, --llm_model, --testgen_*,
// --llm_concurrency). The stage runs on llmcall.Stage: each function's
// call is in flight on its own and its sample moves on when it is done.
package testgen
