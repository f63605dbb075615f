package config

import (
	"fmt"
	"strconv"
	"time"

	"lianggao"
)

// CampaignWindow is a campaign's dates as the profile sets them.
type CampaignWindow struct {
	Starts, Ends     lianggao.Date // the window, both days included
	StaffingDeadline lianggao.Date // working days before Starts
	ReportDue        lianggao.Date // calendar days after Ends
}

// Window returns the dates of the campaign with the given code: 2026H1 starts
// on the profile's first start day of 2026, 2026H2 on its second (or its
// first, when only one is given).
func (p *Profile) Window(code string) (CampaignWindow, error) {
	if !lianggao.ValidCampaignCode(code) {
		return CampaignWindow{}, lianggao.FieldError("code", "campaign_code.invalid", code)
	}
	year, _ := strconv.Atoi(code[:4])
	half := int(code[5] - '1')
	starts := p.Campaign.Starts[min(half, len(p.Campaign.Starts)-1)]
	d, err := lianggao.ParseDate(fmt.Sprintf("%04d-%s", year, starts))
	if err != nil {
		return CampaignWindow{}, err
	}
	c := p.Campaign
	ends := lianggao.DateOf(d.Time(time.UTC).AddDate(0, c.LengthMonths, -1))
	return CampaignWindow{
		Starts:           d,
		Ends:             ends,
		StaffingDeadline: p.calendar.AddWorkingDays(d, -c.StaffingDeadlineWorkingDays),
		ReportDue:        ends.AddDays(c.ReportDueDays),
	}, nil
}

// WorkingDays lists the working days of the window.
func (w CampaignWindow) WorkingDays(c Calendar) []lianggao.Date {
	var out []lianggao.Date
	for d := w.Starts; !w.Ends.Before(d); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			out = append(out, d)
		}
	}
	return out
}
