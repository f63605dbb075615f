package monitor

import (
	"fmt"
	"io"
	"strconv"
	"testing"
)

// benchLines is the size of a full batch, the most the profile allows.
const benchLines = 1_000_000

// cycle is a reader that returns a head, then a block repeated until n
// lines have gone by: a million-line batch without a hundred megabytes
// built up front.
type cycle struct {
	head, block []byte
	left        int // repetitions of block still to come
	pending     []byte
}

func newCycle(head string, lines func(i int) string, blockLines, total int) *cycle {
	var block []byte
	for i := range blockLines {
		block = append(block, lines(i)...)
	}
	return &cycle{head: []byte(head), block: block, left: total / blockLines, pending: []byte(head)}
}

func (c *cycle) Read(p []byte) (int, error) {
	for len(c.pending) == 0 {
		if c.left == 0 {
			return 0, io.EOF
		}
		c.left--
		c.pending = c.block
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

var benchIndicators = []string{"output:coke", "elec_kwh", "coal_t", "energy_tce"}

// benchLine returns the i-th figure of a realistic batch: 500 enterprises,
// four indicators, values with a decimal.
func benchLine(codes []string, i int) (code, date, indicator, value string) {
	day := 1 + i/(len(codes)*len(benchIndicators))%28
	return codes[i%len(codes)], fmt.Sprintf("2026-02-%02d", day), benchIndicators[i%len(benchIndicators)],
		strconv.FormatFloat(1000+float64(i%9973)*1.7, 'f', 1, 64)
}

func benchCodes(b *testing.B) []string {
	codes := make([]string, 500)
	for i := range codes {
		codes[i] = creditCode(b, i)
	}
	return codes
}

// BenchmarkParseNDJSON parses a million-line NDJSON batch; ns/line is the
// figure to compare with the store's bulk load.
func BenchmarkParseNDJSON(b *testing.B) {
	codes := benchCodes(b)
	line := func(i int) string {
		c, d, ind, v := benchLine(codes, i)
		return `{"credit_code":"` + c + `","date":"` + d + `","indicator":"` + ind + `","value":` + v + `}` + "\n"
	}
	benchParse(b, func(p *Parser, r io.Reader, fn func(Row) error) error {
		_, err := p.ParseNDJSON(r, fn)
		return err
	}, "", line)
}

// BenchmarkParseCSV parses a million-line CSV batch.
func BenchmarkParseCSV(b *testing.B) {
	codes := benchCodes(b)
	line := func(i int) string {
		c, d, ind, v := benchLine(codes, i)
		return c + "," + d + "," + ind + "," + v + "\n"
	}
	benchParse(b, func(p *Parser, r io.Reader, fn func(Row) error) error {
		_, err := p.ParseCSV(r, fn)
		return err
	}, "credit_code,date,indicator,value\n", line)
}

func benchParse(b *testing.B, parse func(*Parser, io.Reader, func(Row) error) error, head string, line func(int) string) {
	p := testParser()
	rows := 0
	count := func(Row) error { rows++; return nil }
	b.ReportAllocs()
	for b.Loop() {
		rows = 0
		if err := parse(p, newCycle(head, line, 10_000, benchLines), count); err != nil {
			b.Fatal(err)
		}
		if rows != benchLines {
			b.Fatalf("%d rows", rows)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchLines), "ns/line")
}

// BenchmarkCheck runs every rule over a year of one demo-like plant, the
// unit of the full-province re-run (about 360 reporting plants).
func BenchmarkCheck(b *testing.B) {
	w, _ := demoProvince(1, 12)
	p := DefaultParams()
	peers := w.peerRates(p.UnitUse)
	c := Context{From: w.first, To: w.last, Now: w.now, Loc: shanghai, Catalogue: demoCatalogue(), Coefficients: GBT2589()}
	ents := make([]*Enterprise, len(w.plants))
	for i, pl := range w.plants {
		ents[i] = w.enterprise(pl, peers)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := Check(ents[n%len(ents)], c, p); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/plant-year")
}
