package store_test

import (
	"testing"
	"time"

	"lianggao"
	"lianggao/internal/monitor"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

func day(y int, m, d int) lianggao.Date { return lianggao.Date{Year: y, Month: time.Month(m), Day: d} }

// Ensure a key industry's month sums each enterprise's own figures for the
// month, the month before and the same month a year earlier, counts its open
// alerts meeting the month, leaves out enterprises of other industries and
// silent ones that are not key, and keeps to the actor's scope.
func TestFindIndustryMonth(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Admin()
		key := mustEnterprise(t, s, "370102", 2)       // key, Jinan
		reporting := mustEnterprise(t, s, "370103", 3) // not key, but reports
		mustEnterprise(t, s, "370103", 5)              // not key and silent: left out
		qingdao := mustEnterprise(t, s, "370202", 4)   // key, another city
		steel := storetest.Enterprise("370102", 6)
		steel.Industry, steel.Capacities = "steel", nil
		if err := s.CreateEnterprise(ctx, steel); err != nil {
			t.Fatal(err)
		}
		fig := func(e *lianggao.Enterprise, d lianggao.Date, ind string, v float64) *lianggao.Figure {
			return &lianggao.Figure{EnterpriseID: e.ID, Date: d, Indicator: ind, Value: v}
		}
		figs := []*lianggao.Figure{
			fig(key, day(2026, 10, 1), "output:clinker", 1000), fig(key, day(2026, 10, 2), "output:clinker", 1100),
			fig(key, day(2026, 10, 31), "output:clinker", 1200),
			fig(key, day(2026, 10, 1), "energy_tce", 110), fig(key, day(2026, 10, 2), "energy_tce", 120),
			fig(key, day(2026, 10, 1), "coal_t", 150.5),
			fig(key, day(2026, 10, 1), "water_m3", 9999), // not summed
			fig(key, day(2026, 9, 30), "output:clinker", 800), fig(key, day(2026, 9, 1), "output:clinker", 700),
			fig(key, day(2025, 10, 15), "output:clinker", 650),
			fig(key, day(2026, 11, 1), "output:clinker", 5), fig(key, day(2025, 9, 30), "output:clinker", 5),
			fig(reporting, day(2026, 9, 10), "elec_kwh", 42000),
			fig(qingdao, day(2026, 10, 10), "output:clinker", 3000),
			fig(steel, day(2026, 10, 10), "output:clinker", 3000),
		}
		if _, err := s.PutFigures(ctx, "enterprise", figs); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutFigures(ctx, "stationed", []*lianggao.Figure{fig(key, day(2026, 10, 1), "output:clinker", 99999)}); err != nil {
			t.Fatal(err)
		}
		alert := func(e *lianggao.Enterprise, rule string, from, to lianggao.Date) monitor.Finding {
			return monitor.Finding{CreditCode: e.CreditCode, Rule: rule, Subject: "output:clinker", From: from, To: to,
				Severity: monitor.Warning, Message: "alert.change.jump"}
		}
		if _, err := s.SaveFindings(ctx, []monitor.Finding{
			alert(key, "lone_change", day(2026, 9, 28), day(2026, 10, 2)), // meets the month: counted
			alert(key, "unit_use_history", day(2026, 10, 1), day(2026, 10, 31)),
			alert(key, "reports_missing", day(2026, 10, 5), day(2026, 10, 6)), // escalated below: not counted
			alert(key, "meter_overdue", day(2026, 9, 1), day(2026, 9, 30)),    // another month
			alert(steel, "lone_change", day(2026, 10, 1), day(2026, 10, 2)),
		}); err != nil {
			t.Fatal(err)
		}
		list, _, err := s.FindAlerts(ctx, lianggao.AlertFilter{Rule: "reports_missing"})
		if err != nil || len(list) != 1 {
			t.Fatalf("alerts: %v %v", list, err)
		}
		if _, err := s.MoveAlert(ctx, list[0].ID, lianggao.AlertEscalated, "special_inspection", "移交专项督查"); err != nil {
			t.Fatal(err)
		}

		got, err := s.FindIndustryMonth(ctx, "cement", day(2026, 10, 17))
		if err != nil {
			t.Fatal(err)
		}
		if got.Product != "clinker" || got.Month != day(2026, 10, 1) || len(got.Rows) != 3 {
			t.Fatalf("month %+v with %d rows", got, len(got.Rows))
		}
		rows := map[int64]*store.AnalysisRow{}
		for _, r := range got.Rows {
			rows[r.Enterprise.ID] = r
		}
		k := rows[key.ID]
		if k == nil || k.Month.Sum["output:clinker"] != 3300 || k.Month.Days["output:clinker"] != 3 ||
			k.Month.Sum["energy_tce"] != 230 || k.Month.Sum["coal_t"] != 150.5 || k.Month.Has("elec_kwh") || k.Month.Has("water_m3") {
			t.Fatalf("key enterprise's month: %+v", k)
		}
		if k.PrevMonth.Sum["output:clinker"] != 1500 || k.PrevMonth.Days["output:clinker"] != 2 || k.PrevYear.Sum["output:clinker"] != 650 {
			t.Errorf("earlier months: %+v, %+v", k.PrevMonth, k.PrevYear)
		}
		if k.OpenAlerts != 2 {
			t.Errorf("open alerts %d, want 2", k.OpenAlerts)
		}
		if r := rows[reporting.ID]; r == nil || r.PrevMonth.Sum["elec_kwh"] != 42000 || r.Month.Has("output:clinker") || r.Month.Sum == nil {
			t.Errorf("reporting enterprise: %+v", r)
		}
		if rows[steel.ID] != nil || rows[qingdao.ID] == nil {
			t.Error("industry filter")
		}

		city, err := s.FindIndustryMonth(storetest.As(lianggao.RoleTaskForce, "370100"), "cement", day(2026, 10, 1))
		if err != nil || len(city.Rows) != 2 {
			t.Fatalf("Jinan's officer: %v rows, %v", city, err)
		}
		for _, r := range city.Rows {
			if r.Enterprise.ID == qingdao.ID {
				t.Error("Jinan's officer sees a Qingdao enterprise")
			}
		}
		for _, ind := range []string{"lime", "nope", ""} {
			if _, err := s.FindIndustryMonth(ctx, ind, day(2026, 10, 1)); !isFieldError(err, "industry") {
				t.Errorf("industry %q: %v", ind, err)
			}
		}
		if _, err := s.FindIndustryMonth(storetest.As(lianggao.RoleSystemAdmin, "370000"), "cement", day(2026, 10, 1)); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Errorf("system administrator: %v", err)
		}
	})
}

func isFieldError(err error, field string) bool {
	var e *lianggao.Error
	return asError(err, &e) && e.Code == lianggao.EINVALID && e.Field == field
}
