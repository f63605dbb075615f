package lianggao

import (
	"math"
	"strings"
	"testing"
)

// Ensure published credit codes pass and any one-character change fails.
func TestValidCreditCode(t *testing.T) {
	for _, code := range []string{"914403001922038216", "91330100716105852F", "9144030071526726XG", "91110000100017643K"} {
		if !ValidCreditCode(code) {
			t.Errorf("%s: published code rejected", code)
		}
		for i := range code {
			spoilt := []byte(code)
			spoilt[i] = '0' + (spoilt[i]-'0'+1)%10
			if spoilt[i] == code[i] {
				continue
			}
			if ValidCreditCode(string(spoilt)) {
				t.Errorf("%s: changed at %d still valid", spoilt, i)
			}
		}
	}
	for _, bad := range []string{"", "91440300192203821", "9144030019220382160", "91440300192203821I", "914403001922038216 "} {
		if ValidCreditCode(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

// Ensure impossible dates are refused and dates round-trip as text.
func TestParseDate(t *testing.T) {
	for _, bad := range []string{"2026-02-30", "2026-13-01", "26-06-01", "2026/06/01", ""} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	d, err := ParseDate("2024-02-29")
	if err != nil || d.String() != "2024-02-29" || d.AddDays(1).String() != "2024-03-01" {
		t.Fatalf("leap day: %v %v", d, err)
	}
	var s Date
	if err := s.Scan("2026-06-01"); err != nil || s.String() != "2026-06-01" {
		t.Fatalf("scan: %v", err)
	}
}

// Ensure dates compare as their YYYY-MM-DD text does, and Before agrees.
func TestDateCompare(t *testing.T) {
	days := []Date{{}, {2025, 12, 31}, {2026, 1, 1}, {2026, 1, 2}, {2026, 2, 1}, {2027, 1, 1}}
	for _, a := range days {
		for _, b := range days {
			want := strings.Compare(a.String(), b.String())
			if got := a.Compare(b); got != want {
				t.Errorf("%s.Compare(%s) = %d, want %d", a, b, got, want)
			}
			if a.Before(b) != (want < 0) {
				t.Errorf("%s.Before(%s) = %v", a, b, a.Before(b))
			}
		}
	}
}

// Ensure GCJ-02 input converts back to the WGS-84 point it came from, and the
// offset is the few hundred metres the datum is known for.
func TestGCJ02RoundTrip(t *testing.T) {
	for _, p := range []Point{{36.65, 117.0}, {37.43, 118.67}, {35.1, 118.36}} {
		g := WGS84ToGCJ02(p)
		off := p.DistanceM(g)
		if off < 100 || off > 1000 {
			t.Errorf("%v: GCJ-02 offset %.0f m, want a few hundred", p, off)
		}
		back := GCJ02ToWGS84(g)
		if d := p.DistanceM(back); d > 0.01 {
			t.Errorf("%v: round trip off by %.4f m", p, d)
		}
	}
	tokyo := Point{35.68, 139.76}
	if WGS84ToGCJ02(tokyo) != tokyo {
		t.Error("a point outside China was shifted")
	}
}

// Ensure the great-circle distance is right on a known pair (Jinan–Qingdao ≈ 300 km).
func TestDistance(t *testing.T) {
	d := Point{36.65, 117.0}.DistanceM(Point{36.07, 120.38})
	if math.Abs(d-310e3) > 15e3 {
		t.Fatalf("Jinan–Qingdao %.0f km", d/1000)
	}
}

// Ensure only the allowed project transitions are allowed.
func TestProjectTransitions(t *testing.T) {
	if !CanMove(ProjectPlanned, ProjectApproved) || !CanMove(ProjectStopped, ProjectOperating) {
		t.Error("a normal step refused")
	}
	if CanMove(ProjectPlanned, ProjectOperating) || CanMove(ProjectClosed, ProjectOperating) || CanMove("nonsense", ProjectClosed) {
		t.Error("an illegal step allowed")
	}
}

// Ensure the administrators hold no business permission and the observer
// changes nothing.
func TestRoleSeparation(t *testing.T) {
	for _, r := range []Role{RoleSystemAdmin, RoleSecurityAdmin, RoleAuditAdmin} {
		a := &Actor{Roles: []Role{r}}
		if a.Can(PermRegistryRead) || a.Can(PermPersonRead) || a.Can(PermFigureRead) {
			t.Errorf("%s reads business data", r)
		}
	}
	obs := &Actor{Roles: []Role{RoleObserver}}
	for _, p := range []Permission{PermRegistryWrite, PermRegistryImport, PermPersonWrite, PermFigureWrite, PermUserManage} {
		if obs.Can(p) {
			t.Errorf("observer may %s", p)
		}
	}
	var nobody *Actor
	if nobody.Can(PermRegistryRead) {
		t.Error("a nil actor may read")
	}
}
