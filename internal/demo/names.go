package demo

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Trade names (字号) are two characters, one from each list.
var (
	tradeFirst  = []rune("鑫华恒金汇宏瑞泰信晨联盛兴德海东齐鲁天正永新伟中润龙昌丰益富安祥嘉凯宝同万明远弘国建万顺达亿鸿隆")
	tradeSecond = []rune("源泰通岭丰达和发鸣盛兴利昌旺业誉远诚星辉泽峰祥华元隆坤宇海晟阳鼎科翔邦瑞森")
	suffixes    = []string{"有限公司", "有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司"}
)

// Roads of industrial parks and county towns.
var (
	roadNames    = []string{"工业", "兴业", "创业", "振兴", "发展", "建设", "胜利", "黄河", "泰山", "齐鲁", "鲁中", "滨海", "开发", "化工", "石化", "钢城", "新华", "人民", "东风", "北海", "沂河", "淄河", "汶河", "运河", "府前", "光明", "永安", "长安", "迎宾", "环城"}
	roadSuffixes = []string{"路", "路", "大道", "大街", "东路", "西路", "南路", "北路"}
	parks        = []string{"", "", "", "经济开发区", "化工产业园", "工业园区", "高新技术产业开发区"}
)

// Surnames, the commonest in Shandong first and repeated so they come up more.
var (
	surnames   = []rune("王王王李李李张张张刘刘刘孙孙赵赵杨杨陈陈徐徐高高马马于于董董孔郭宋吕魏韩曹田朱胡林何梁郑谢唐冯程袁邓许沈彭苏卢蒋蔡贾丁薛叶潘杜戴夏钟汪任姜范方石姚谭邹崔毛秦史侯邵孟段")
	givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏飞建国志海波宁斌浩凯晨雪梅琳辉鑫倩婷文博宇峰东晓春庆忠俊彬亮立新永振兴红岩")
)

// cityAbbr is each city's one-character abbreviation in document numbers.
var cityAbbr = map[string]string{
	"370100": "济", "370200": "青", "370300": "淄", "370400": "枣", "370500": "东", "370600": "烟",
	"370700": "潍", "370800": "济宁", "370900": "泰", "371000": "威", "371100": "日", "371300": "临",
	"371400": "德", "371500": "聊", "371600": "滨", "371700": "菏",
}

// shortName drops the administrative suffix (市, 区, 县) of a region's name,
// except where that would leave a single character (莒县 stays 莒县).
func shortName(name string) string {
	for _, suf := range []string{"市", "区", "县"} {
		if s, ok := strings.CutSuffix(name, suf); ok && utf8.RuneCountInString(s) >= 2 {
			return s
		}
	}
	return name
}

// tradeName returns a two-character trade name.
func tradeName(r rng) string {
	return string(pick(r, tradeFirst)) + string(pick(r, tradeSecond))
}

// personName returns a common Chinese name of two or three characters.
func personName(r rng) string {
	name := string(pick(r, surnames)) + string(pick(r, givenChars))
	if r.chance(0.7) {
		name += string(pick(r, givenChars))
	}
	return name
}

// phone returns a mobile number: 1, a carrier digit 3–9, nine more digits.
func phone(r rng) string {
	return fmt.Sprintf("1%d%09d", r.intBetween(3, 9), r.IntN(1e9))
}

// address returns a street address in the county.
func address(r rng, county string) string {
	return fmt.Sprintf("%s%s%s%s%d号", county, pick(r, parks), pick(r, roadNames), pick(r, roadSuffixes), r.intBetween(1, 2999))
}
