// Package monitor is the pure side of the electronic supervision platform:
// it parses and validates batches of daily figures (NDJSON and CSV, as a
// stream), computes comprehensive energy use as GB/T 2589-2020 does, and
// runs the monitoring rules of R6.2 over daily series, returning findings
// that the store turns into alerts. Nothing here touches a database or a
// clock: "today" and "now" are passed in.
//
// RULES.md beside this file states every rule's formula and thresholds.
package monitor
