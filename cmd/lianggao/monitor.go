package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"lianggao"
	"lianggao/internal/jobs"
	"lianggao/internal/monitor"
)

// runMonitor runs the monitoring rules over the stored figures and prints
// what they find; with --truth it scores them against a demo's planted
// problems.
func (m *Main) runMonitor(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(m.Stderr, "usage: lianggao monitor check [--from DATE] [--to DATE] [--truth FILE] [--save] [data flags]")
		return errUsage
	}
	fs := m.flags("monitor check")
	var fromS, toS, truth string
	var save bool
	fs.StringVar(&fromS, "from", "", "first day (default: a year before --to)")
	fs.StringVar(&toS, "to", "", "last day (default: yesterday)")
	fs.StringVar(&truth, "truth", "", "a demo's truth.json, to report precision and recall")
	fs.BoolVar(&save, "save", false, "save the findings as alerts")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	now := m.clock()
	to := lianggao.DateOf(now.In(m.profile.Location())).AddDays(-1)
	var err error
	if toS != "" {
		if to, err = lianggao.ParseDate(toS); err != nil {
			return fmt.Errorf("--to: %w", err)
		}
	}
	from := to.AddDays(-364)
	if fromS != "" {
		if from, err = lianggao.ParseDate(fromS); err != nil {
			return fmt.Errorf("--from: %w", err)
		}
	}
	findings, err := jobs.RunRules(lianggao.NewContext(ctx, lianggao.SystemActor), m.store, from, to, now)
	if err != nil {
		return err
	}
	printFindings(m, findings)
	if save {
		run, err := m.store.SaveFindings(lianggao.NewContext(ctx, lianggao.SystemActor), findings)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "alerts: %d created, %d extended\n", run.Created, run.Extended)
	}
	if truth != "" {
		return m.score(findings, truth)
	}
	return nil
}

func printFindings(m *Main, findings []monitor.Finding) {
	counts := map[string]int{}
	for _, f := range findings {
		counts[f.Rule+" "+string(f.Severity)]++
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(m.Stdout, "%d findings\n", len(findings))
	for _, k := range keys {
		fmt.Fprintf(m.Stdout, "  %-40s %6d\n", k, counts[k])
	}
}

// score compares the findings with the planted problems of a demo.
func (m *Main) score(findings []monitor.Finding, file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var t struct {
		Problems []monitor.TruthItem `json:"problems"`
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	p, r := monitor.Evaluate(findings, t.Problems)
	fmt.Fprintf(m.Stdout, "against %d planted problems: precision %.2f, recall %.2f\n", len(t.Problems), p, r)
	for _, item := range t.Problems {
		if !found(findings, item) {
			fmt.Fprintf(m.Stdout, "  not found: %s %s %s–%s\n", item.Kind, item.CreditCode, item.From, item.To)
		}
	}
	return nil
}

// found reports whether the rules caught one planted problem.
func found(findings []monitor.Finding, item monitor.TruthItem) bool {
	_, recall := monitor.Evaluate(findings, []monitor.TruthItem{item})
	return recall == 1
}
