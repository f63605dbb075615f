package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"lianggao"
	"lianggao/internal/cryptosuite"
)

// auditEntry is one change to record: who did it comes from the context.
type auditEntry struct {
	Action     string // e.g. enterprise.create, enterprise.update, registry.import, session.signin
	ObjectType string
	ObjectID   string
	Before     any
	After      any
}

// AuditRecord is an entry of the audit trail as read back.
type AuditRecord struct {
	Seq        int64
	At         time.Time
	ActorID    int64
	Actor      string
	Action     string
	ObjectType string
	ObjectID   string
	Before     string
	After      string
	RequestID  string
	Client     string
	Alg        string
	PrevHash   string
	Hash       string
}

// audit appends an entry to the chain inside the caller's transaction, so a
// change and its record commit or fail together. The head row is locked (on
// PostgreSQL; SQLite has one writer), so concurrent writers keep one chain.
func (s *Store) audit(ctx context.Context, t *tx, e auditEntry) error {
	a := lianggao.ActorFrom(ctx)
	if a == nil {
		a = lianggao.SystemActor
	}
	req := lianggao.RequestFrom(ctx)
	var seq int64
	var prev string
	if err := t.StmtContext(ctx, s.auditSQL.head).QueryRowContext(ctx).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	name := a.Username
	if a.TokenID != 0 {
		name = fmt.Sprintf("%s (token %d)", a.Username, a.TokenID)
	}
	r := AuditRecord{Seq: seq + 1, At: t.now, ActorID: a.UserID, Actor: name, Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, Before: jsonText(e.Before), After: jsonText(e.After),
		RequestID: req.ID, Client: req.Client, PrevHash: prev}
	d := s.suite.MAC(r.encode())
	r.Alg, r.Hash = d.Alg, hex.EncodeToString(d.Sum)
	if _, err := t.StmtContext(ctx, s.auditSQL.insert).ExecContext(ctx, r.Seq, r.At, r.ActorID, r.Actor, r.Action,
		r.ObjectType, r.ObjectID, nullText(r.Before), nullText(r.After), r.RequestID, r.Client, r.Alg, r.PrevHash, r.Hash); err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil // the trigger audit_entries_head moves the head
}

// auditStatements are the statements every change runs, prepared once on
// the writer pool: on SQLite parsing them cost as much as running them.
type auditStatements struct {
	head, insert *sql.Stmt
}

// prepareAudit prepares the audit statements; the tables must exist.
func (s *Store) prepareAudit(ctx context.Context) error {
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = s.write.PrepareContext(ctx, s.dialect.rebind(q))
		return st
	}
	s.auditSQL = auditStatements{
		head: prep(`SELECT seq, hash FROM audit_head WHERE id = 1` + s.dialect.forUpdate),
		insert: prep(`INSERT INTO audit_entries (seq, at, actor_id, actor, action, object_type, object_id, before_data,
			after_data, request_id, client, alg, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
	}
	return err
}

// encode is what an entry's keyed hash covers: every field, the previous
// entry's hash among them, each length-prefixed so that no two different
// entries share an encoding. The key lives outside the database, so
// database access alone cannot rewrite the chain.
func (r *AuditRecord) encode() []byte {
	var b []byte
	for _, f := range []string{r.PrevHash, strconv.FormatInt(r.Seq, 10), r.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(r.ActorID, 10), r.Actor, r.Action, r.ObjectType, r.ObjectID, r.Before, r.After,
		r.RequestID, r.Client} {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
		b = append(b, ';')
	}
	return b
}

// valid checks an entry's keyed hash, with the algorithm it was written
// under. Only keyed algorithms count: a chain recomputed with a plain hash,
// which anyone can do, is a forgery.
func (s *Store) valid(r *AuditRecord) bool {
	sum, err := hex.DecodeString(r.Hash)
	return err == nil && strings.HasPrefix(r.Alg, "hmac-") &&
		s.suite.Check(r.encode(), cryptosuite.Digest{Alg: r.Alg, Sum: sum}) == nil
}

// FindAudit returns the latest audit entries about one object.
func (s *Store) FindAudit(ctx context.Context, objectType, objectID string, limit int) ([]*AuditRecord, error) {
	rows, err := s.queryRead(ctx, `SELECT seq, at, actor, action, COALESCE(before_data, ''), COALESCE(after_data, '')
		FROM audit_entries WHERE object_type = ? AND object_id = ? ORDER BY seq DESC LIMIT ?`, objectType, objectID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*AuditRecord
	for rows.Next() {
		r := &AuditRecord{ObjectType: objectType, ObjectID: objectID}
		if err := rows.Scan(&r.Seq, &r.At, &r.Actor, &r.Action, &r.Before, &r.After); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func jsonText(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// RecordAccess audits a read worth knowing about — an export of a list
// (people's lists hold personal data), a look at the audit trail — with the
// filters used and the number of rows. verb is "export" or "view".
func (s *Store) RecordAccess(ctx context.Context, verb, objectType, filters string, rows int) error {
	if lianggao.ActorFrom(ctx) == nil {
		return lianggao.Errorf(lianggao.EUNAUTHORIZED, "signin.required")
	}
	return s.update(ctx, func(t *tx) error {
		return s.audit(ctx, t, auditEntry{Action: objectType + "." + verb, ObjectType: objectType, ObjectID: "*",
			After: map[string]any{"filters": filters, "rows": rows}})
	})
}

// AuditFilter selects audit entries; zero fields do not filter.
type AuditFilter struct {
	Actor      string // user name, or its start
	ObjectType string
	ObjectID   string
	Action     string // an action, or its prefix such as "user."
	From, To   time.Time
	Offset     int
	Limit      int
}

// FindAuditEntries returns audit entries, newest first, and the number
// matching; only the audit administrator and the observers may read them.
func (s *Store) FindAuditEntries(ctx context.Context, f AuditFilter) ([]*AuditRecord, int, error) {
	if _, err := actorOf(ctx, lianggao.PermAuditRead); err != nil {
		return nil, 0, err
	}
	w := &where{}
	if f.Actor != "" {
		w.add(`actor LIKE ? ESCAPE '\'`, prefixPattern(f.Actor))
	}
	if f.ObjectType != "" {
		w.add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		w.add("object_id = ?", f.ObjectID)
	}
	if f.Action != "" {
		w.add(`action LIKE ? ESCAPE '\'`, prefixPattern(f.Action))
	}
	if !f.From.IsZero() {
		w.add("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		w.add("at < ?", f.To.UTC())
	}
	offset, limit := page(f.Offset, f.Limit)
	var out []*AuditRecord
	var total int
	err := s.view(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `SELECT count(*) FROM audit_entries WHERE `+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT seq, at, actor_id, actor, action, object_type, object_id, COALESCE(before_data, ''),
			COALESCE(after_data, ''), request_id, client, alg, prev_hash, hash FROM audit_entries WHERE `+w.String()+
			` ORDER BY seq DESC LIMIT ? OFFSET ?`, append(w.args, limit, offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r := &AuditRecord{}
			if err := rows.Scan(&r.Seq, &r.At, &r.ActorID, &r.Actor, &r.Action, &r.ObjectType, &r.ObjectID,
				&r.Before, &r.After, &r.RequestID, &r.Client, &r.Alg, &r.PrevHash, &r.Hash); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, total, err
}
