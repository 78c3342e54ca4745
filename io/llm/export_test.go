package llm

// ForgetEndpoint drops the process-wide breaker and limiter of baseURL, so
// that a later test server given the same port starts afresh instead of
// inheriting an open breaker (or another test's settings).
func ForgetEndpoint(baseURL string) {
	endpoint := Config{BaseURL: baseURL}.endpoint()
	breakers.Forget(endpoint)
	limiters.Forget(endpoint)
}
