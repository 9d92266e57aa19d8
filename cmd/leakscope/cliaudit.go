package main

import (
	"os/user"

	"github.com/leakscope/leakscope"
	"github.com/leakscope/leakscope/app"
)

// cliUser names the person at the command line in the audit log, in tags
// and in export records: "cli:" and the OS user name.
func cliUser() string {
	name := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	return "cli:" + name
}

// cliActor is the person at the command line, for app's audited actions.
func cliActor() app.Actor { return app.Actor{User: cliUser(), Remote: "local"} }

// auditEntry is an audit log entry for an action done at the command line.
func auditEntry(action, target, detail string) leakscope.AuditEntry {
	return leakscope.AuditEntry{User: cliUser(), Action: action, Target: target, Detail: detail, Remote: "local"}
}
