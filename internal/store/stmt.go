package store

import (
	"database/sql"
	"sync"
)

// stmtCache keeps prepared statements of the reader pool by query text:
// parsing a query costs as much as running it on SQLite, and pages ask the
// same few questions again and again. Query texts vary with the filters, so
// the cache stops growing at maxStmts and later texts run unprepared.
type stmtCache struct {
	db    *sql.DB
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

const maxStmts = 512

// get returns the prepared statement for q, preparing it on first use; nil
// means run q unprepared (the cache is full, or q does not prepare).
func (c *stmtCache) get(q string) *sql.Stmt {
	if c == nil || c.db == nil {
		return nil
	}
	c.mu.RLock()
	st, ok := c.stmts[q]
	c.mu.RUnlock()
	if ok {
		return st
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[q]; ok {
		return st
	}
	if len(c.stmts) >= maxStmts {
		return nil
	}
	st, err := c.db.Prepare(q)
	if err != nil {
		return nil
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[q] = st
	return st
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
	c.db = nil
}
