package store

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"lianggao"
)

// Checkpoint is a signed statement of the chain's head at a moment: a copy
// kept outside the database (a file, the log) makes truncation detectable.
type Checkpoint struct {
	Seq       int64     `json:"seq"`
	Hash      string    `json:"hash"`
	At        time.Time `json:"at"`
	Signature string    `json:"signature"`
}

func (c *Checkpoint) message() []byte {
	return []byte("lianggao-audit-checkpoint|" + strconv.FormatInt(c.Seq, 10) + "|" + c.Hash + "|" + c.At.UTC().Format(time.RFC3339Nano))
}

// Checkpoint signs the chain's head, records it and appends it to file (one
// JSON line each), when file is not "".
func (s *Store) Checkpoint(ctx context.Context, file string) (*Checkpoint, error) {
	c := &Checkpoint{At: s.now().UTC().Truncate(time.Microsecond)}
	err := s.update(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+t.d.forUpdate).Scan(&c.Seq, &c.Hash); err != nil {
			return err
		}
		var err error
		if c.Signature, err = s.suite.Sign(c.message()); err != nil {
			return err
		}
		_, err = t.exec(ctx, `INSERT INTO audit_checkpoints (seq, hash, at, signature) VALUES (?, ?, ?, ?)
			ON CONFLICT (seq) DO NOTHING`, c.Seq, c.Hash, c.At, c.Signature)
		return err
	})
	if err != nil || file == "" {
		return c, err
	}
	return c, appendJSONLine(file, c)
}

func appendJSONLine(file string, v any) error {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(v)
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// AuditBreak describes the first place the audit trail does not hold.
type AuditBreak struct {
	Seq    int64
	Reason string
}

func (b *AuditBreak) Error() string {
	return fmt.Sprintf("audit trail broken at entry %d: %s", b.Seq, b.Reason)
}

// VerifyAudit walks the chain from the last sealed segment (or the start)
// and checks every entry's keyed hash and link, the head, every checkpoint
// in the database and in file (when not ""), and the seals' signatures. It
// returns nil when all hold, or an *AuditBreak naming the first break.
func (s *Store) VerifyAudit(ctx context.Context, file string) (int64, error) {
	prev, want, err := s.verifySeals(ctx)
	if err != nil {
		return 0, err
	}
	marks, err := s.checkpoints(ctx, file)
	if err != nil {
		return 0, err
	}
	// Returning early stops the reader.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches, errc := s.readChain(ctx, want)
	n := int64(0)
	for batch := range batches {
		for i := range batch {
			r := &batch[i]
			switch {
			case r.Seq != want:
				return n, &AuditBreak{want, "entry missing"}
			case r.PrevHash != prev:
				return n, &AuditBreak{r.Seq, "link to the previous entry broken"}
			case !s.valid(r):
				return n, &AuditBreak{r.Seq, "keyed hash does not match"}
			case marks[r.Seq] != "" && marks[r.Seq] != r.Hash:
				return n, &AuditBreak{r.Seq, "differs from a signed checkpoint"}
			}
			delete(marks, r.Seq)
			prev, want, n = r.Hash, want+1, n+1
		}
	}
	if err := <-errc; err != nil {
		return n, err
	}
	return n, s.verifyEnd(ctx, want, prev, marks)
}

// readChain streams the entries from seq on, in batches, from a goroutine:
// reading the rows and checking their keyed hashes take about as long each,
// so on two cores they overlap. The error channel yields once, after the
// last batch; cancelling ctx stops the reader.
func (s *Store) readChain(ctx context.Context, from int64) (<-chan []AuditRecord, <-chan error) {
	batches, errc := make(chan []AuditRecord, 4), make(chan error, 1)
	go func() {
		defer close(errc)
		defer close(batches)
		rows, err := s.queryRead(ctx, `SELECT seq, at, actor_id, actor, action, object_type, object_id,
			COALESCE(before_data, ''), COALESCE(after_data, ''), request_id, client, alg, prev_hash, hash
			FROM audit_entries WHERE seq >= ? ORDER BY seq`, from)
		if err != nil {
			errc <- err
			return
		}
		defer rows.Close()
		batch := make([]AuditRecord, 0, 1024)
		for rows.Next() {
			var r AuditRecord
			if err := rows.Scan(&r.Seq, &r.At, &r.ActorID, &r.Actor, &r.Action, &r.ObjectType, &r.ObjectID,
				&r.Before, &r.After, &r.RequestID, &r.Client, &r.Alg, &r.PrevHash, &r.Hash); err != nil {
				errc <- err
				return
			}
			if batch = append(batch, r); len(batch) == cap(batch) {
				select {
				case batches <- batch:
				case <-ctx.Done():
					return
				}
				batch = make([]AuditRecord, 0, 1024)
			}
		}
		if len(batch) > 0 {
			select {
			case batches <- batch:
			case <-ctx.Done():
				return
			}
		}
		errc <- rows.Err()
	}()
	return batches, errc
}

// verifyEnd checks what lies past the last entry: the head must point at it,
// and no checkpoint may name a later one (truncation).
func (s *Store) verifyEnd(ctx context.Context, next int64, last string, marks map[int64]string) error {
	for seq := range marks {
		if seq >= next {
			return &AuditBreak{next, fmt.Sprintf("entries up to %d were signed in a checkpoint but are missing", seq)}
		}
	}
	var headSeq int64
	var headHash string
	if err := s.queryRowRead(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return err
	}
	if headSeq != next-1 || headHash != last {
		return &AuditBreak{next, "the chain's head does not match its last entry"}
	}
	return nil
}

// checkpoints returns every signed checkpoint, from the database and the
// file, by sequence; a bad signature is itself a break.
func (s *Store) checkpoints(ctx context.Context, file string) (map[int64]string, error) {
	var cps []Checkpoint
	rows, err := s.queryRead(ctx, `SELECT seq, hash, at, signature FROM audit_checkpoints`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c Checkpoint
		if err := rows.Scan(&c.Seq, &c.Hash, &c.At, &c.Signature); err != nil {
			rows.Close()
			return nil, err
		}
		cps = append(cps, c)
	}
	rows.Close()
	fromFile, err := readCheckpointFile(file)
	if err != nil {
		return nil, err
	}
	marks := map[int64]string{}
	for _, c := range append(cps, fromFile...) {
		if err := s.suite.Verify(c.message(), c.Signature); err != nil {
			return nil, &AuditBreak{c.Seq, "a checkpoint's signature does not verify"}
		}
		if h, ok := marks[c.Seq]; ok && h != c.Hash {
			return nil, &AuditBreak{c.Seq, "two checkpoints disagree"}
		}
		marks[c.Seq] = c.Hash
	}
	delete(marks, 0)
	return marks, nil
}

func readCheckpointFile(file string) ([]Checkpoint, error) {
	if file == "" {
		return nil, nil
	}
	f, err := os.Open(file)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Checkpoint
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		var c Checkpoint
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", file, line, err)
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// verifySeals checks the seals' signatures and returns where the chain in
// the database starts: after the last sealed entry.
func (s *Store) verifySeals(ctx context.Context) (prev string, next int64, err error) {
	rows, err := s.queryRead(ctx, `SELECT first_seq, last_seq, last_hash, sha256, signature FROM audit_seals ORDER BY last_seq`)
	if err != nil {
		return "", 0, err
	}
	defer rows.Close()
	next = 1
	for rows.Next() {
		var sl seal
		if err := rows.Scan(&sl.First, &sl.Last, &sl.LastHash, &sl.SHA256, &sl.Signature); err != nil {
			return "", 0, err
		}
		if sl.First != next || s.suite.Verify(sl.message(), sl.Signature) != nil {
			return "", 0, &AuditBreak{sl.First, "a sealed segment's record does not verify"}
		}
		prev, next = sl.LastHash, sl.Last+1
	}
	return prev, next, rows.Err()
}

// seal is a segment of the chain moved into a signed archive file.
type seal struct {
	First, Last int64
	LastHash    string
	SHA256      string
	Signature   string
}

func (sl *seal) message() []byte {
	return []byte(fmt.Sprintf("lianggao-audit-seal|%d|%d|%s|%s", sl.First, sl.Last, sl.LastHash, sl.SHA256))
}

// SealAudit moves the entries older than before into a signed archive file
// in dir — the only way entries leave the database. The archive holds one
// JSON line per entry and ends with the signed seal; before may be no later
// than the retention period (months) ago. It returns the archive's path,
// or "" when nothing is old enough.
func (s *Store) SealAudit(ctx context.Context, before time.Time, retentionMonths int, dir string) (string, error) {
	if _, err := actorOf(ctx, lianggao.PermAuditManage); err != nil {
		return "", err
	}
	if retentionMonths < 6 {
		retentionMonths = 6
	}
	if before.After(s.now().AddDate(0, -retentionMonths, 0)) {
		return "", lianggao.FieldError("before", "audit.retention", retentionMonths)
	}
	if n, err := s.VerifyAudit(ctx, ""); err != nil {
		return "", fmt.Errorf("store: sealing refused, %d entries verified: %w", n, err)
	}
	var path string
	err := s.update(ctx, func(t *tx) error {
		entries, err := entriesBefore(ctx, t, before.UTC())
		if err != nil || len(entries) == 0 {
			return err
		}
		sl, body := s.sealOf(entries)
		if sl.Signature, err = s.suite.Sign(sl.message()); err != nil {
			return err
		}
		path = filepath.Join(dir, fmt.Sprintf("audit-%010d-%010d.jsonl", sl.First, sl.Last))
		trailer, _ := json.Marshal(map[string]any{"seal": sl})
		if err := os.WriteFile(path, append(body, append(trailer, '\n')...), 0o440); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO audit_seals (last_seq, first_seq, last_hash, archive, sha256, signature, sealed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, sl.Last, sl.First, sl.LastHash, filepath.Base(path), sl.SHA256, sl.Signature, t.now); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM audit_entries WHERE seq <= ?`, sl.Last); err != nil {
			return err
		}
		return s.audit(ctx, t, auditEntry{Action: "audit.seal", ObjectType: "audit", ObjectID: strconv.FormatInt(sl.Last, 10),
			After: map[string]any{"first": sl.First, "last": sl.Last, "archive": filepath.Base(path), "sha256": sl.SHA256}})
	})
	return path, err
}

func entriesBefore(ctx context.Context, t *tx, before time.Time) ([]AuditRecord, error) {
	rows, err := t.query(ctx, `SELECT seq, at, actor_id, actor, action, object_type, object_id, COALESCE(before_data, ''),
		COALESCE(after_data, ''), request_id, client, alg, prev_hash, hash FROM audit_entries WHERE at < ? ORDER BY seq`, before)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditRecord
	for rows.Next() {
		var r AuditRecord
		if err := rows.Scan(&r.Seq, &r.At, &r.ActorID, &r.Actor, &r.Action, &r.ObjectType, &r.ObjectID,
			&r.Before, &r.After, &r.RequestID, &r.Client, &r.Alg, &r.PrevHash, &r.Hash); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *Store) sealOf(entries []AuditRecord) (*seal, []byte) {
	var b strings.Builder
	for i := range entries {
		line, _ := json.Marshal(&entries[i])
		b.Write(line)
		b.WriteByte('\n')
	}
	sum := sha256.Sum256([]byte(b.String()))
	last := entries[len(entries)-1]
	return &seal{First: entries[0].Seq, Last: last.Seq, LastHash: last.Hash, SHA256: hex.EncodeToString(sum[:])}, []byte(b.String())
}
