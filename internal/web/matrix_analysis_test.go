package web_test

import "maps"

// The monthly analysis reads figures like the daily statistics, and exports
// like them.
func init() {
	maps.Copy(matrix, map[string]any{
		"GET /analysis": figureReaders, "GET /analysis/export.xlsx": alertExporters, "GET /analysis/export.docx": alertExporters,
	})
}
