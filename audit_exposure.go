package leakscope

// Audited actions of the exposure endpoints (AuditEntry.Action; stable
// names).
const (
	AuditExposureReport = "exposure.report" // the whole report
	AuditExposurePerson = "exposure.person" // Target: the address asked for
	AuditBatchList      = "batch.list"
	AuditBatchDiff      = "batch.diff" // Target: the batch label; Detail: "leak NAME" when given
	// AuditIdentifierRange records a self-check: Target the identifier
	// kind, Detail "prefix XXXXX". Nothing else of the identifier reaches
	// the server.
	AuditIdentifierRange = "identifier.range"
)
