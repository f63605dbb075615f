package auth

import (
	"container/list"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// ThrottleConfig sets the limits of a Throttle. Zero fields take the defaults
// shown.
type ThrottleConfig struct {
	// AccountFailures failed sign-ins lock an account (5): 等保 asks for a
	// limit on failed attempts per account, whatever address they come from.
	AccountFailures int
	// AccountWindow is how long an account's failures are remembered, from
	// the first one or from the end of its last lock (24 h). A long window
	// keeps a patient attacker below the limit to a few guesses a day.
	AccountWindow time.Duration
	// AddrFailures failed sign-ins from one client address within AddrWindow
	// lock that address (20 in 15 min), so that one address cannot try one
	// common password against many accounts. It is higher than the account
	// limit because an office behind one NAT address shares it.
	AddrFailures int
	AddrWindow   time.Duration
	// BaseDelay is the first lock (1 min); each further failure doubles it,
	// up to MaxDelay (1 h).
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// MaxEntries bounds the accounts and the addresses remembered (100 000
	// each); beyond it the one whose last failure is oldest is forgotten.
	MaxEntries int
	// Now is the clock (time.Now); tests inject their own.
	Now func() time.Time
}

// withDefaults returns c with its zero fields set.
func (c ThrottleConfig) withDefaults() ThrottleConfig {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.AccountFailures, 5)
	def(&c.AddrFailures, 20)
	def(&c.MaxEntries, 100_000)
	defDur(&c.AccountWindow, 24*time.Hour)
	defDur(&c.AddrWindow, 15*time.Minute)
	defDur(&c.BaseDelay, time.Minute)
	defDur(&c.MaxDelay, time.Hour)
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Throttle slows down password guessing: it counts failed sign-ins per
// account and per client address and, past a limit, makes the account or
// address wait, longer with each further failure. It is safe for concurrent
// use.
//
// The counts live in memory: they are consulted on every sign-in and only
// matter for minutes or hours, a database write per failure would let an
// attacker turn guesses into write load, and losing them on a restart costs
// at most one window (the audit log keeps every failure for the record). A
// deployment with several instances behind a load balancer multiplies the
// limits by the number of instances: it must either keep the counts in a
// store shared by all instances (same rules, e.g. a table or Redis keyed the
// same way) or run sign-in on a single instance.
type Throttle struct {
	mu       sync.Mutex
	now      func() time.Time
	accounts *counters
	addrs    *counters
}

// NewThrottle returns a throttle with the given limits.
func NewThrottle(c ThrottleConfig) *Throttle {
	c = c.withDefaults()
	return &Throttle{
		now:      c.Now,
		accounts: newCounters(c.AccountFailures, c.AccountWindow, c),
		addrs:    newCounters(c.AddrFailures, c.AddrWindow, c),
	}
}

// Check returns how long a sign-in to account from addr must wait; 0 means it
// may be tried now. addr is the client's IP address (a port is ignored, and an
// IPv6 address counts as its /64, which one subscriber usually holds whole);
// behind a reverse proxy it must be the client's, not the proxy's.
func (t *Throttle) Check(account, addr string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	return max(t.accounts.wait(accountKey(account), now), t.addrs.wait(addrKey(addr), now))
}

// Fail records a failed sign-in to account from addr. Unknown accounts must
// be recorded too, or the throttle would tell which accounts exist. Callers
// Check first and do not try the password while locked; a failure recorded
// during a lock lengthens it.
func (t *Throttle) Fail(account, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.accounts.fail(accountKey(account), now)
	t.addrs.fail(addrKey(addr), now)
}

// Succeed records a successful sign-in to account: its failures are forgotten.
// The address's are not, or an attacker holding one valid account could sign
// in to it between guesses at others.
func (t *Throttle) Succeed(account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.accounts.forget(accountKey(account))
}

// accountKey normalises an account name as sign-in does, so that "Admin" and
// "admin " share one count.
func accountKey(account string) string {
	return strings.ToLower(strings.TrimSpace(account))
}

// addrKey drops a port and widens an IPv6 address to its /64; anything else
// is used as given.
func addrKey(addr string) string {
	if ap, err := netip.ParseAddrPort(addr); err == nil {
		addr = ap.Addr().String()
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// counters are the failure counts of one kind of key, least recently failed
// first in order so that the stale and the oldest are found at its front.
type counters struct {
	limit      int
	window     time.Duration
	base, most time.Duration
	maxEntries int
	byKey      map[string]*list.Element
	order      *list.List
}

// counter is the failure count of one key.
type counter struct {
	key   string
	fails int
	start time.Time // first failure counted
	until time.Time // end of the lock; zero if never locked
}

func newCounters(limit int, window time.Duration, c ThrottleConfig) *counters {
	return &counters{limit: limit, window: window, base: c.BaseDelay, most: c.MaxDelay,
		maxEntries: c.MaxEntries, byKey: map[string]*list.Element{}, order: list.New()}
}

// wait returns the rest of key's lock.
func (cs *counters) wait(key string, now time.Time) time.Duration {
	if e := cs.byKey[key]; e != nil {
		return max(e.Value.(*counter).until.Sub(now), 0)
	}
	return 0
}

// fail counts a failure of key and locks it once at the limit.
func (cs *counters) fail(key string, now time.Time) {
	cs.prune(now)
	e := cs.byKey[key]
	if e != nil && cs.stale(e.Value.(*counter), now) {
		cs.forget(key)
		e = nil
	}
	if e == nil {
		e = cs.order.PushBack(&counter{key: key, start: now})
		cs.byKey[key] = e
		if cs.order.Len() > cs.maxEntries {
			cs.forget(cs.order.Front().Value.(*counter).key)
		}
	}
	cs.order.MoveToBack(e)
	c := e.Value.(*counter)
	c.fails++
	if c.fails >= cs.limit {
		c.until = now.Add(cs.delay(c.fails - cs.limit))
	}
}

// delay returns the lock after over failures beyond the limit: the base
// delay doubled over times, capped.
func (cs *counters) delay(over int) time.Duration {
	d := cs.base
	for range over {
		if d >= cs.most/2 {
			return cs.most
		}
		d *= 2
	}
	return min(d, cs.most)
}

// stale reports whether c's window has passed, both since its first failure
// and since the end of its lock: a failure after a lock has ended but within
// the window still counts, and lengthens the next lock.
func (cs *counters) stale(c *counter, now time.Time) bool {
	return !now.Before(c.start.Add(cs.window)) && !now.Before(c.until.Add(cs.window))
}

// prune forgets stale counters at the front of the order. Stale ones further
// back wait for a later call; MaxEntries bounds them meanwhile.
func (cs *counters) prune(now time.Time) {
	for e := cs.order.Front(); e != nil && cs.stale(e.Value.(*counter), now); e = cs.order.Front() {
		cs.forget(e.Value.(*counter).key)
	}
}

// forget drops key's counter.
func (cs *counters) forget(key string) {
	if e := cs.byKey[key]; e != nil {
		cs.order.Remove(e)
		delete(cs.byKey, key)
	}
}
