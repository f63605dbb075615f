package lianggao

import "math"

// Datums of a coordinate. Everything is stored in WGS-84 (what browsers and GPS
// report); positions copied from Chinese map services are GCJ-02 and are
// converted on input, the original datum being recorded.
const (
	DatumWGS84 = "wgs84"
	DatumGCJ02 = "gcj02"
)

// Point is a position in WGS-84 degrees.
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Valid reports whether p is a possible position.
func (p Point) Valid() bool {
	return p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180 && !(p.Lat == 0 && p.Lon == 0)
}

// DistanceM returns the great-circle distance between p and q in metres.
func (p Point) DistanceM(q Point) float64 {
	const r = 6371008.8
	rad := math.Pi / 180
	dLat := (q.Lat - p.Lat) * rad
	dLon := (q.Lon - p.Lon) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(p.Lat*rad)*math.Cos(q.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

// The GCJ-02 offset is defined on the Krasovsky 1940 ellipsoid.
const (
	krasovskyA  = 6378245.0
	krasovskyE2 = 0.00669342162296594323
)

// WGS84ToGCJ02 applies the GCJ-02 obfuscation. Outside mainland China the two
// datums coincide.
func WGS84ToGCJ02(p Point) Point {
	if outsideChina(p) {
		return p
	}
	dLat, dLon := gcjOffset(p.Lon-105, p.Lat-35)
	rad := p.Lat * math.Pi / 180
	m := 1 - krasovskyE2*math.Sin(rad)*math.Sin(rad)
	sm := math.Sqrt(m)
	dLat = dLat * 180 / ((krasovskyA * (1 - krasovskyE2)) / (m * sm) * math.Pi)
	dLon = dLon * 180 / (krasovskyA / sm * math.Cos(rad) * math.Pi)
	return Point{p.Lat + dLat, p.Lon + dLon}
}

// GCJ02ToWGS84 inverts WGS84ToGCJ02 by fixed-point iteration, to well under a
// centimetre.
func GCJ02ToWGS84(g Point) Point {
	if outsideChina(g) {
		return g
	}
	w := g
	for range 10 {
		f := WGS84ToGCJ02(w)
		dLat, dLon := f.Lat-g.Lat, f.Lon-g.Lon
		w.Lat -= dLat
		w.Lon -= dLon
		if math.Abs(dLat) < 1e-10 && math.Abs(dLon) < 1e-10 {
			break
		}
	}
	return w
}

// ToWGS84 converts a point given in datum to WGS-84.
func ToWGS84(p Point, datum string) Point {
	if datum == DatumGCJ02 {
		return GCJ02ToWGS84(p)
	}
	return p
}

func outsideChina(p Point) bool {
	return p.Lon < 72.004 || p.Lon > 137.8347 || p.Lat < 0.8293 || p.Lat > 55.8271
}

// gcjOffset returns the offsets in metres (as the published series defines them)
// for x = lon-105, y = lat-35.
func gcjOffset(x, y float64) (dLat, dLon float64) {
	s := math.Sqrt(math.Abs(x))
	pi := math.Pi
	common := (20*math.Sin(6*x*pi) + 20*math.Sin(2*x*pi)) * 2 / 3
	dLat = -100 + 2*x + 3*y + 0.2*y*y + 0.1*x*y + 0.2*s + common +
		(20*math.Sin(y*pi)+40*math.Sin(y/3*pi))*2/3 +
		(160*math.Sin(y/12*pi)+320*math.Sin(y*pi/30))*2/3
	dLon = 300 + x + 2*y + 0.1*x*x + 0.1*x*y + 0.1*s + common +
		(20*math.Sin(x*pi)+40*math.Sin(x/3*pi))*2/3 +
		(150*math.Sin(x/12*pi)+300*math.Sin(x/30*pi))*2/3
	return dLat, dLon
}
