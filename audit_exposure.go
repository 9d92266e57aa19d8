package leakscope

// Audited actions of the exposure endpoints (AuditEntry.Action; stable
// names).
const (
	AuditExposureReport = "exposure.report" // the whole report
	AuditExposurePerson = "exposure.person" // Target: the address asked for
	AuditBatchList      = "batch.list"
	AuditBatchDiff      = "batch.diff" // Target: the batch label; Detail: "leak NAME" when given
	// AuditIdentifierEvaluate records one request of a self-check's
	// oblivious PRF: Detail "N elements", the number of blinded elements
	// evaluated. Nothing of the identifiers reaches the server.
	AuditIdentifierEvaluate = "identifier.evaluate"
	// AuditIdentifierLookup records a self-check's look-up of a lookup
	// hash prefix: no Target, no Detail (the prefix, of a keyed hash,
	// is not kept either).
	AuditIdentifierLookup = "identifier.lookup"
)
