// Package floors holds the test that keeps the project's import layout:
// every package stands on a floor (base, io, analysis, accounting,
// transforms, graphs) and imports only packages on floors below it, or on
// its own floor above the base. It has no code of its own.
package floors
