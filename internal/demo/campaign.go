package demo

import (
	"context"
	"fmt"
	"slices"

	"lianggao"
)

// CampaignCode returns the code of the campaign the demo province is
// preparing: the one under way on today, or the next one (campaigns run in
// June and December).
func CampaignCode(today lianggao.Date) string {
	half := 1
	if today.Month >= 7 {
		half = 2
	}
	return fmt.Sprintf("%04dH%d", today.Year, half)
}

// writeCampaign opens the coming campaign, freezes its target list (every
// registered enterprise), staffs the five groups from the register and draws
// it, so that the plan, the tasks and the on-site page can be clicked
// through. The demo accounts are linked to the people they play: the
// leader leads the DRC group, the inspector is on its first visit's team,
// the department officers sign for their departments.
func (g *generator) writeCampaign(ctx context.Context) error {
	code := CampaignCode(g.today)
	s := g.s
	if _, err := s.CreateCampaign(ctx, code, code[:4]+"年"+halfName(code)+"两高企业全面检查"); err != nil {
		return err
	}
	if _, err := s.FreezeTargets(ctx, code, nil); err != nil {
		return err
	}
	if _, err := s.ProposeMembers(ctx, code); err != nil {
		return err
	}
	if _, err := s.Commit(ctx, code); err != nil {
		return err
	}
	if _, err := s.Draw(ctx, code); err != nil {
		return err
	}
	return g.linkAccounts(ctx, code)
}

func halfName(code string) string {
	if code[5] == '1' {
		return "上半年"
	}
	return "下半年"
}

// linkAccounts links the demo accounts to people of the register.
func (g *generator) linkAccounts(ctx context.Context, code string) error {
	s := g.s
	links := map[string]int64{}
	ms, err := s.Members(ctx, code)
	if err != nil {
		return err
	}
	drcLeader := slices.IndexFunc(ms, func(m *lianggao.InspectionGroupMember) bool {
		return m.Department == "drc" && m.Role == lianggao.MemberLeader
	})
	if drcLeader < 0 {
		return fmt.Errorf("the DRC group has no leader")
	}
	links["leader"] = ms[drcLeader].PersonID
	tasks, _, err := s.FindTasks(ctx, code, lianggao.TaskFilter{Department: "drc", Limit: 1})
	if err != nil || len(tasks) == 0 {
		return fmt.Errorf("the DRC group has no task: %v", err)
	}
	links["inspector"] = tasks[0].Team[0]
	for _, d := range g.profile.Departments {
		i := slices.IndexFunc(g.people, func(p *lianggao.Person) bool {
			return p.Department == d.Code && p.Region == g.profile.Province && p.Kind == lianggao.PersonOfficial
		})
		links[d.Code] = g.people[i].ID
	}
	links["admin"] = links["drc"]
	for username, person := range links {
		u, err := s.FindUserByName(ctx, username)
		if err != nil {
			return err
		}
		if err := s.LinkPerson(ctx, u.ID, person); err != nil {
			return err
		}
	}
	return nil
}
