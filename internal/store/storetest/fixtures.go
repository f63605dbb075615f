package storetest

import (
	"context"
	"fmt"

	"lianggao"
)

// As returns a context signed in as an actor with the role and region scope.
func As(role lianggao.Role, region string) context.Context {
	return lianggao.NewContext(context.Background(), &lianggao.Actor{
		UserID: 1, Username: string(role) + "@" + region, Roles: []lianggao.Role{role}, Region: region})
}

// Admin returns a context signed in as the province administrator.
func Admin() context.Context { return As(lianggao.RoleProvinceAdmin, "370000") }

// CreditCode returns a valid unified social credit code for test number n
// registered in the city.
func CreditCode(city string, n int) string {
	body := fmt.Sprintf("91%s%09d", city, n)
	c, _ := lianggao.CreditCodeCheck(body)
	return body + string(c)
}

// Enterprise returns a valid enterprise in the county.
func Enterprise(county string, n int) *lianggao.Enterprise {
	return &lianggao.Enterprise{
		CreditCode: CreditCode(lianggao.CityOf(county), n), Name: fmt.Sprintf("测试企业%03d有限公司", n),
		Address: "测试路1号", County: county, Industry: "cement",
		Location: lianggao.Point{Lat: 36.6, Lon: 117.0}, Key: n%2 == 0,
		Capacities: []lianggao.Capacity{{Product: "clinker", Amount: 1.5e6}},
	}
}
