package sheet

import (
	"archive/zip"
	"bytes"

	"github.com/xuri/excelize/v2"

	"lianggao"
)

// maxExpansion bounds how much larger than the upload limit an .xlsx may
// grow when unzipped. Sheets of repetitive text compress some tens of
// times; a zip bomb, thousands.
const maxExpansion = 50

// readOptions make dates in the default short format (Excel's "2026/6/1",
// number format 14) read as YYYY-MM-DD rather than excelize's US
// "06-01-26", and the other built-in date formats as in Chinese Excel.
var readOptions = excelize.Options{ShortDatePattern: "yyyy-mm-dd", CultureInfo: excelize.CultureNameZhCN}

// readXLSX returns the rows of the first sheet as displayed, at their
// spreadsheet lines (index = line-1).
func readXLSX(b []byte, limit int64) ([][]string, error) {
	if err := checkUnzippedSize(b, limit*maxExpansion); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), readOptions)
	if err != nil {
		return nil, notSpreadsheet()
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, notSpreadsheet()
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, notSpreadsheet()
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		cells, err := it.Columns()
		if err != nil {
			return nil, notSpreadsheet() // a damaged sheet is as unreadable as no sheet
		}
		rows = append(rows, cells)
	}
	if it.Error() != nil {
		return nil, notSpreadsheet()
	}
	return rows, nil
}

// checkUnzippedSize refuses an archive whose entries add up to more than
// limit bytes, and anything that is not a zip archive at all. Go's zip reader
// holds every entry to its declared size, so the sum can be trusted.
func checkUnzippedSize(b []byte, limit int64) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return notSpreadsheet()
	}
	var n uint64
	for _, f := range zr.File {
		n += f.UncompressedSize64
	}
	if n > uint64(limit) {
		return lianggao.Errorf(lianggao.ETOOLARGE, "xlsx.too_large")
	}
	return nil
}
