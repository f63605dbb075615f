package monitor

// MessageKeys returns every message key the package produces — the
// problems of a batch and the messages of findings — so that the i18n
// catalogue can be checked to cover them all: nobody should ever read a
// raw key. A finding's text takes its numbers from the Evidence by name.
func MessageKeys() []string {
	return []string{
		KeyRequired, KeyCreditCode, KeyDateInvalid, KeyDateFuture, KeyIndicatorUnknown, KeyValueInvalid,
		KeyValueNegative, KeyValueTooLarge, KeyUnitWrong, KeySourceUnknown, KeyFieldUnknown, KeyFieldDuplicate,
		KeyJSONInvalid, KeyLineTooLong, KeyTooManyLines, KeyCSVFields, KeyCSVMalformed, KeyHeaderMissing,
		KeyHeaderUnknown, KeyHeaderDuplicate, KeyHeaderBlank, KeyFileEmpty,
		"alert.overproduction.month", "alert.overproduction.year", "alert.overproduction.milestone",
		"alert.intensity.above_baseline", "alert.intensity.benchmark_met",
		"alert.unit_use.history", "alert.unit_use.peers",
		"alert.change.jump", "alert.change.drop",
		"alert.reports.missing", "alert.reports.incomplete", "alert.reports.late",
		"alert.meter.silent", "alert.meter.overdue",
		"alert.daily_monthly", "alert.source_mismatch", "alert.energy.mismatch",
	}
}
