// Command rules measures the monitoring rules over the demo province: a
// full year for every enterprise against streaming every one of those
// figure rows from the engine into Go in the same run (target ≤ 3× and
// under 3 s), and the incremental run after one day's reports of the key
// enterprises (target under 200 ms).
//
// Run: go run ./bench/rules [-cpuprofile FILE] (the profile covers the
// incremental runs).
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"lianggao/bench/internal/harness"

	"lianggao"
	"lianggao/internal/demo"
	"lianggao/internal/jobs"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

func main() {
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the incremental runs to this file")
	flag.Parse()
	t := harness.New()
	defer t.Close()
	s := storetest.Open(t, "sqlite")
	ctx := lianggao.NewContext(context.Background(), lianggao.SystemActor)
	sum, err := demo.Generate(ctx, s, demo.Options{Seed: 2026, Now: storetest.Now})
	harness.Must(err)
	to := lianggao.DateOf(storetest.Now).AddDays(-1)
	from := to.AddDays(-364)

	start := time.Now()
	rows := stream(s, from.AddDays(-120), to)
	base := time.Since(start)

	start = time.Now()
	findings, err := jobs.RunRules(ctx, s, from, to, storetest.Now)
	harness.Must(err)
	full := time.Since(start)
	fmt.Printf("streaming %d figure rows (the year and its 120-day warm-up) into Go: %.2fs\n", rows, base.Seconds())
	fmt.Printf("every rule, every enterprise, a full year: %.2fs, %d findings; %.2f× the streaming (target ≤ 3×, < 3 s)\n",
		full.Seconds(), len(findings), full.Seconds()/base.Seconds())

	key := keyEnterprises(ctx, s)
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		harness.Must(err)
		harness.Must(pprof.StartCPUProfile(f))
		defer pprof.StopCPUProfile()
	}
	// The first run is the one a batch pays; the median of the next ones
	// shows what is left when the engine's caches are warm. The CPU time
	// (all threads) tells the work apart from waiting for the cores, which
	// on a shared machine can dwarf it.
	var times, cpus []time.Duration
	for range 6 {
		start, cpu := time.Now(), cpuTime()
		_, err = jobs.RunRules(ctx, s, to, to, storetest.Now, key...)
		harness.Must(err)
		times, cpus = append(times, time.Since(start)), append(cpus, cpuTime()-cpu)
	}
	first, firstCPU := times[0], cpus[0]
	slices.Sort(times[1:])
	slices.Sort(cpus[1:])
	fmt.Printf("incremental run after one day's reports of %d key enterprises: %.0f ms, then %.0f ms (median of 5) (target < 200 ms); CPU time %.0f ms, then %.0f ms on %d cores\n",
		len(key), harness.MS(first), harness.MS(times[3]), harness.MS(firstCPU), harness.MS(cpus[3]), runtime.NumCPU())
	_ = sum
}

// stream reads every figure row of the period, as the rules need them.
func stream(s *store.Store, from, to lianggao.Date) int {
	n := 0
	harness.Must(s.Inspect(context.Background(), func(db *sql.DB, _ string) error {
		rows, err := db.Query(`SELECT enterprise_id, indicator, source, day, value FROM figures WHERE day >= ? AND day <= ?`,
			from.String(), to.String())
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var ind, src string
			var day lianggao.Date
			var v float64
			if err := rows.Scan(&id, &ind, &src, &day, &v); err != nil {
				return err
			}
			n++
		}
		return rows.Err()
	}))
	return n
}

func keyEnterprises(ctx context.Context, s *store.Store) []int64 {
	yes := true
	ents, _, err := s.FindEnterprises(ctx, lianggao.EnterpriseFilter{Key: &yes, Limit: store.All})
	harness.Must(err)
	ids := make([]int64, len(ents))
	for i, e := range ents {
		ids[i] = e.ID
	}
	return ids
}
