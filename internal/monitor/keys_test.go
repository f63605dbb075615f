package monitor

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// keyText matches the message keys written in the package's code: the
// findings' literals and the problem constants.
var keyText = regexp.MustCompile(`"(alert\.[a-z_.]+)"|Key[A-Za-z]+ += "([a-z_.]+)"`)

// Ensure MessageKeys lists every key the code uses, and nothing else.
func TestMessageKeys(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "keys.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyText.FindAllSubmatch(b, -1) {
			used[string(m[1])+string(m[2])] = true
		}
	}
	listed := MessageKeys()
	for k := range used {
		if !slices.Contains(listed, k) {
			t.Errorf("%s is used but not listed", k)
		}
	}
	for _, k := range listed {
		if !used[k] {
			t.Errorf("%s is listed but not used", k)
		}
	}
}

// Ensure the parameters survive the profile's TOML both ways, so that the
// profile can hold them under [rules].
func TestParamsTOML(t *testing.T) {
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(DefaultParams()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`deadline = "10:00"`, `from = "11-15"`, `by = "05-31"`, "month_tolerance = 0.05", "z = 3.5"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("TOML lacks %s:\n%s", want, b.String())
		}
	}
	var p Params
	md, err := toml.Decode(b.String(), &p)
	if err != nil || len(md.Undecoded()) > 0 {
		t.Fatalf("decode: %v %v", err, md.Undecoded())
	}
	if !reflect.DeepEqual(p, DefaultParams()) {
		t.Fatalf("round trip\n got %+v\nwant %+v", p, DefaultParams())
	}
}

// Ensure the catalogue lists the indicators with their units and
// kinds, and output and sales of every product.
func TestCatalogue(t *testing.T) {
	byCode := map[string]Indicator{}
	for _, ind := range testCatalogue().Indicators() {
		byCode[ind.Code] = ind
	}
	for code, want := range map[string]string{
		"elec_kwh": "kWh carrier", "coal_t": "t carrier", "coke_t": "t carrier", "gas_m3": "m3 carrier", "oil_t": "t carrier",
		"heat_gj": "GJ carrier", "out:elec_kwh": "kWh supplied", "out:heat_gj": "GJ supplied", "out:coke_t": "t supplied",
		"out:gas_m3": "m3 supplied", "feed:coal_t": "t feedstock", "water_m3": "m3 water", "energy_tce": "tce energy",
		"co2_t": "t emission", "so2_kg": "kg emission", "nox_kg": "kg emission", "pm_kg": "kg emission",
		"revenue_10k_cny": "10k CNY money", "tax_10k_cny": "10k CNY money", "profit_10k_cny": "10k CNY money",
		"output:coke": "t output", "sales:flat_glass": "重量箱 sales", "output:power_supplied_mwh": "MWh output",
	} {
		if got := byCode[code].Unit + " " + string(byCode[code].Kind); got != want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
	}
	if !byCode["profit_10k_cny"].MayBeNegative || byCode["coal_t"].MayBeNegative {
		t.Error("only money may be negative")
	}
}
