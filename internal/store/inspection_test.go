package store_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"slices"
	"testing"
	"time"

	"lianggao"
	"lianggao/internal/store"
	"lianggao/internal/store/storetest"
)

// site is a seeded campaign with one task and the people around it.
type site struct {
	s       *store.Store
	code    string
	task    *lianggao.InspectionTask
	team    context.Context // a member of the task's team
	other   context.Context // a member of another group
	peer    context.Context // a member of the same group, not on the team
	leader  context.Context // the leader of the task's group
	cities  []string        // the cities of the task's group
	against *lianggao.InspectionTask
}

func inspector(person int64) context.Context {
	return lianggao.NewContext(context.Background(), &lianggao.Actor{UserID: 100 + person, Username: "p", Name: "检查员",
		Roles: []lianggao.Role{lianggao.RoleInspector}, PersonID: person})
}

func newSite(t *testing.T, s *store.Store) *site {
	t.Helper()
	storetest.SeedProvince(t, s, 2)
	c := storetest.SeedCampaign(t, s, true)
	plan, err := s.FindPlan(storetest.Admin(), c.Code)
	if err != nil {
		t.Fatal(err)
	}
	g := plan.Groups[0]
	tasks, _, err := s.FindTasks(storetest.Admin(), c.Code, lianggao.TaskFilter{Department: g.Department})
	if err != nil || len(tasks) < 2 {
		t.Fatalf("tasks of %s: %d, %v", g.Department, len(tasks), err)
	}
	st := &site{s: s, code: c.Code, task: tasks[0], against: tasks[1], team: inspector(tasks[0].Team[0]), cities: g.Cities}
	for _, m := range g.Members {
		switch {
		case m.Role == lianggao.MemberLeader:
			st.leader = inspector(m.PersonID)
		case st.peer == nil && !slices.Contains(tasks[0].Team, m.PersonID):
			st.peer = inspector(m.PersonID)
		}
	}
	st.other = inspector(plan.Groups[1].Members[0].PersonID)
	if st.leader == nil || st.peer == nil {
		t.Fatal("group without a leader or a member off the team")
	}
	return st
}

var (
	onSite  = lianggao.Point{Lat: 36.6005, Lon: 117.0} // about 56 m from the seeded enterprises
	faraway = lianggao.Point{Lat: 36.7, Lon: 117.0}    // about 11 km
)

func tinyPNG(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func ptr(v float64) *float64 { return &v }

// Ensure check-in is for the team or its leader only, inside the radius is
// plain, outside needs a reason and is flagged, a bad position is refused,
// and a task is checked in once.
func TestInspectionCheckIn(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		st := newSite(t, s)
		id := st.task.ID
		if _, err := s.CheckIn(st.other, id, lianggao.CheckIn{Position: onSite}); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Errorf("member of another group: %v", err)
		}
		if _, err := s.CheckIn(st.peer, id, lianggao.CheckIn{Position: onSite}); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Errorf("member of the group off the team: %v", err)
		}
		if _, err := s.CheckIn(storetest.Admin(), id, lianggao.CheckIn{Position: onSite}); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Errorf("province admin: %v", err)
		}
		var e *lianggao.Error
		if _, err := s.CheckIn(st.team, id, lianggao.CheckIn{Position: lianggao.Point{Lat: 95, Lon: 117}}); !asError(err, &e) || e.Field != "position" {
			t.Errorf("impossible position: %v", err)
		}
		_, err := s.CheckIn(st.team, id, lianggao.CheckIn{Position: faraway})
		if !asError(err, &e) || e.Field != "reason" || e.Args[0].(int64) < 10000 {
			t.Fatalf("outside without a reason: %v", err)
		}
		if _, err := s.FindInspection(st.team, id); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Errorf("a refused check-in wrote: %v", err)
		}
		in, err := s.CheckIn(st.team, id, lianggao.CheckIn{Position: faraway, Reason: "企业大门在北侧，厂区内无信号", RegistrationID: "DJ-001"})
		if err != nil {
			t.Fatal(err)
		}
		if !in.Flagged || in.OutsideReason == "" || in.DistanceM < 10000 {
			t.Errorf("outside check-in: %+v", in)
		}
		if _, err := s.CheckIn(st.team, id, lianggao.CheckIn{Position: onSite}); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Errorf("second check-in: %v", err)
		}
		task, _ := s.FindTask(storetest.Admin(), id)
		if task.State != lianggao.TaskCheckedIn {
			t.Errorf("task state %s", task.State)
		}
		in, err = s.CheckIn(st.leader, st.against.ID, lianggao.CheckIn{Position: onSite})
		if err != nil {
			t.Fatalf("leader inside: %v", err)
		}
		if in.Flagged || in.DistanceM > 100 {
			t.Errorf("inside check-in: %+v", in)
		}
	})
}

// Ensure the figures on record are the enterprise's own totals of the six
// months before the campaign, with its main output.
func TestInspectionRecordedFigures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		st := newSite(t, s)
		ent := st.task.EnterpriseID
		day := func(m, d int) lianggao.Date { return lianggao.Date{Year: 2026, Month: time.Month(m), Day: d} }
		if _, err := s.PutFigures(storetest.Admin(), "enterprise", []*lianggao.Figure{
			{EnterpriseID: ent, Date: day(6, 1), Indicator: "energy_tce", Value: 100},
			{EnterpriseID: ent, Date: day(11, 30), Indicator: "energy_tce", Value: 50},
			{EnterpriseID: ent, Date: day(5, 31), Indicator: "energy_tce", Value: 1000}, // before the period
			{EnterpriseID: ent, Date: day(7, 1), Indicator: "output:clinker", Value: 20},
			{EnterpriseID: ent, Date: day(7, 2), Indicator: "output:clinker", Value: 30},
			{EnterpriseID: ent, Date: day(7, 2), Indicator: "profit_10k_cny", Value: -12.5},
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutFigures(storetest.Admin(), "grid", []*lianggao.Figure{
			{EnterpriseID: ent, Date: day(7, 1), Indicator: "energy_tce", Value: 7}}); err != nil {
			t.Fatal(err)
		}
		figs, err := s.RecordedFigures(st.team, st.task.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]*float64{}
		var order []string
		for _, f := range figs {
			got[f.Indicator] = f.Recorded
			order = append(order, f.Indicator)
		}
		if len(figs) != 12 || order[0] != "energy_tce" || order[8] != "output:clinker" || order[11] != "profit_10k_cny" {
			t.Fatalf("indicators %v", order)
		}
		if got["energy_tce"] == nil || *got["energy_tce"] != 150 || *got["output:clinker"] != 50 || *got["profit_10k_cny"] != -12.5 ||
			got["coal_t"] != nil {
			t.Errorf("recorded energy %v, output %v, profit %v, coal %v", got["energy_tce"], got["output:clinker"], got["profit_10k_cny"], got["coal_t"])
		}
		city := storetest.As(lianggao.RoleTaskForce, otherCity(st.task.City))
		if _, err := s.RecordedFigures(city, st.task.ID); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Errorf("another city's officer: %v", err)
		}
	})
}

// otherCity returns a city of the profile other than city.
func otherCity(city string) string {
	if city == "370100" {
		return "370200"
	}
	return "370100"
}

// Ensure a submission is refused, writing nothing, without a photo, without
// an item, with an unpublished item, a negative figure or a finding without
// a description (named by its row); a good one goes on the problem list, is
// signed and locked; an amendment is kept beside the signed original; and an
// officer of another city cannot see it.
func TestInspectionSubmit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		st := newSite(t, s)
		id := st.task.ID
		item := s.Profile().Campaign.Items[0].Code
		good := func() lianggao.InspectionForm {
			return lianggao.InspectionForm{Body: "山东省发展改革委", Items: []string{item},
				Figures: []*lianggao.InspectionFigure{{Indicator: "energy_tce", Verified: ptr(180), Document: "能源购进台账"},
					{Indicator: "profit_10k_cny", Verified: ptr(-3)}},
				Findings: []*lianggao.Finding{{Category: "energy_use", Description: "台账能耗低于实际", Evidence: "购煤发票", Severity: "major"},
					{Category: "metering", Description: "计量器具未检定", Severity: "minor"}}}
		}
		if _, err := s.PutFigures(storetest.Admin(), "enterprise", []*lianggao.Figure{
			{EnterpriseID: st.task.EnterpriseID, Date: lianggao.Date{Year: 2026, Month: 8, Day: 3}, Indicator: "energy_tce", Value: 150}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitInspection(st.team, id, good()); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Errorf("submit before check-in: %v", err)
		}
		if _, err := s.AddPhoto(st.team, id, "a.png", tinyPNG(t)); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Errorf("photo before check-in: %v", err)
		}
		if _, err := s.CheckIn(st.team, id, lianggao.CheckIn{Position: onSite}); err != nil {
			t.Fatal(err)
		}
		var e *lianggao.Error
		if _, err := s.SubmitInspection(st.team, id, good()); !asError(err, &e) || e.Field != "photos" {
			t.Errorf("without a photo: %v", err)
		}
		if _, err := s.AddPhoto(st.team, id, "note.txt", []byte("not a picture at all")); !asError(err, &e) || e.Field != "photo" {
			t.Errorf("a text file as photo: %v", err)
		}
		if _, err := s.AddPhoto(st.team, id, "big.png", make([]byte, lianggao.MaxPhotoBytes+1)); lianggao.ErrorCode(err) != lianggao.ETOOLARGE {
			t.Errorf("an oversized photo: %v", err)
		}
		photo, err := s.AddPhoto(st.team, id, `C:\phone\IMG_0001.png`, tinyPNG(t))
		if err != nil {
			t.Fatal(err)
		}
		if photo.ContentType != "image/png" || len(photo.SHA256) != 64 || photo.Name != "IMG_0001.png" {
			t.Errorf("photo %+v", photo)
		}
		noItem, badItem, negative, noDescription := good(), good(), good(), good()
		noItem.Items = nil
		badItem.Items = []string{"XX-99"}
		negative.Figures[0].Verified = ptr(-1)
		noDescription.Findings[1].Description = " "
		for name, c := range map[string]struct {
			form  lianggao.InspectionForm
			field string
			line  int
		}{"no item": {noItem, "items", 0}, "bad item": {badItem, "items", 0}, "negative figure": {negative, "verified", 1},
			"finding without description": {noDescription, "description", 2}} {
			_, err := s.SubmitInspection(st.team, id, c.form)
			if !asError(err, &e) {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if c.line > 0 {
				if len(e.Problems) != 1 || e.Problems[0].Field != c.field || e.Problems[0].Line != c.line {
					t.Errorf("%s: %v", name, err)
				}
			} else if e.Field != c.field {
				t.Errorf("%s: %v", name, err)
			}
		}
		var findings int
		if err := storetest.RawDB(t, s).QueryRow(`SELECT count(*) FROM findings`).Scan(&findings); err != nil || findings != 0 {
			t.Errorf("refused submissions left %d findings (%v)", findings, err)
		}
		if _, err := s.SubmitInspection(st.peer, id, good()); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Errorf("submit by a member off the team: %v", err)
		}
		if _, err := s.AmendInspection(st.team, id, "笔误", "更正"); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Errorf("amend before submit: %v", err)
		}
		in, err := s.SubmitInspection(st.team, id, good())
		if err != nil {
			t.Fatal(err)
		}
		suite := storetest.Suite(t)
		if err := suite.Verify(in.SignedContent(), in.Signature); err != nil {
			t.Fatalf("signature: %v", err)
		}
		in, err = s.FindInspection(storetest.Admin(), id)
		if err != nil {
			t.Fatal(err)
		}
		if err := suite.Verify(in.SignedContent(), in.Signature); err != nil {
			t.Errorf("signature of the stored record: %v", err)
		}
		if len(in.Findings) != 2 || in.Findings[0].Source != "inspection" || in.Findings[0].SourceID != in.ID ||
			in.Findings[0].CampaignID != st.task.CampaignID || len(in.Photos) != 1 || in.Body != "山东省发展改革委" {
			t.Errorf("stored inspection: %+v", in)
		}
		if f := in.Figures[0]; f.Recorded == nil || *f.Recorded != 150 || *f.Verified != 180 {
			t.Errorf("figure %+v", f)
		} else if d, ok := f.Difference(); !ok || d < 0.19 || d > 0.21 {
			t.Errorf("difference %v", d)
		}
		tampered := *in
		tampered.Body = "别的机关"
		if suite.Verify(tampered.SignedContent(), in.Signature) == nil {
			t.Error("a changed record still verifies")
		}
		if _, err := s.SubmitInspection(st.team, id, good()); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Errorf("second submit: %v", err)
		}
		if _, err := s.AddPhoto(st.team, id, "b.png", tinyPNG(t)); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Errorf("photo after submit: %v", err)
		}
		if _, err := s.CheckIn(st.team, id, lianggao.CheckIn{Position: onSite}); lianggao.ErrorCode(err) != lianggao.ECONFLICT {
			t.Errorf("check-in after submit: %v", err)
		}
		if _, err := s.AmendInspection(st.team, id, " ", "能耗核实值应为181"); !asError(err, &e) || e.Field != "reason" {
			t.Errorf("amend without a reason: %v", err)
		}
		if _, err := s.AmendInspection(st.leader, id, "录入笔误", "能耗核实值应为181"); err != nil {
			t.Fatal(err)
		}
		after, err := s.FindInspection(st.team, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(after.Amendments) != 1 || after.Amendments[0].Change != "能耗核实值应为181" || *after.Figures[0].Verified != 180 {
			t.Errorf("after the amendment: %+v", after)
		}
		if err := s.VerifyInspection(st.team, id); err != nil {
			t.Errorf("verify after the amendment: %v", err)
		}
		ctype, data, err := s.Photo(st.team, id, photo.ID)
		if err != nil || ctype != "image/png" || !bytes.Equal(data, tinyPNG(t)) {
			t.Errorf("photo back: %s, %d bytes, %v", ctype, len(data), err)
		}
		if _, err := s.FindInspection(storetest.As(lianggao.RoleTaskForce, otherCity(st.task.City)), id); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Errorf("officer of another city: %v", err)
		}
		if _, _, err := s.Photo(storetest.As(lianggao.RoleTaskForce, otherCity(st.task.City)), id, photo.ID); lianggao.ErrorCode(err) != lianggao.ENOTFOUND {
			t.Errorf("photo to an officer of another city: %v", err)
		}
		if _, err := s.FindInspection(storetest.As(lianggao.RoleTaskForce, st.task.City), id); err != nil {
			t.Errorf("officer of the city: %v", err)
		}
		task, _ := s.FindTask(storetest.Admin(), id)
		if task.State != lianggao.TaskSubmitted {
			t.Errorf("task state %s", task.State)
		}
	})
}

// Ensure a group member records the curbing work of the group's cities
// only, a manager any city's, and a city officer sees only the own city's.
func TestCityWork(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		st := newSite(t, s)
		mine := st.cities[0]
		cities, err := s.MyGroupCities(st.team, st.code)
		if err != nil || !slices.Equal(cities, st.cities) {
			t.Fatalf("group cities %v, want %v (%v)", cities, st.cities, err)
		}
		var foreign string
		for _, c := range s.Profile().Cities() {
			if !slices.Contains(st.cities, c.Code) {
				foreign = c.Code
				break
			}
		}
		if err := s.RecordCityWork(st.team, st.code, foreign, "某市压减两高项目3个"); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Errorf("a city of another group: %v", err)
		}
		var e *lianggao.Error
		if err := s.RecordCityWork(st.team, st.code, mine, " "); !asError(err, &e) || e.Field != "summary" {
			t.Errorf("empty summary: %v", err)
		}
		if err := s.RecordCityWork(st.team, st.code, mine, "停建两高项目2个，关停退出1个"); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordCityWork(storetest.Admin(), st.code, foreign, "完成产能置换1项"); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordCityWork(storetest.As(lianggao.RoleTaskForce, mine), st.code, mine, "x"); lianggao.ErrorCode(err) != lianggao.EFORBIDDEN {
			t.Errorf("a city officer recording: %v", err)
		}
		all, err := s.CityWork(storetest.Admin(), st.code)
		if err != nil || len(all) != 2 || all[mine].Summary != "停建两高项目2个，关停退出1个" {
			t.Errorf("province sees %v (%v)", all, err)
		}
		own, err := s.CityWork(storetest.As(lianggao.RoleTaskForce, foreign), st.code)
		if err != nil || len(own) != 1 || own[foreign] == nil {
			t.Errorf("city officer sees %v (%v)", own, err)
		}
		group, err := s.CityWork(st.team, st.code)
		if err != nil || len(group) != 1 || group[mine] == nil {
			t.Errorf("group member sees %v (%v)", group, err)
		}
	})
}
