package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand; it is safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newTestThrottle returns a throttle with default limits on a fake clock.
func newTestThrottle() (*Throttle, *fakeClock) {
	clock := &fakeClock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	return NewThrottle(ThrottleConfig{Now: clock.now}), clock
}

// failN records n failures of account, each from its own address so that only
// the account's limit applies.
func failN(th *Throttle, account string, n int) {
	for i := range n {
		th.Fail(account, fmt.Sprintf("10.0.%d.%d", i/256, i%256))
	}
}

// Ensure an account is locked at the fifth failure, from whatever address.
func TestThrottleLocksAccount(t *testing.T) {
	th, _ := newTestThrottle()
	failN(th, "zhangsan", 4)
	if w := th.Check("zhangsan", "192.0.2.1"); w != 0 {
		t.Fatalf("locked after 4: %v", w)
	}
	failN(th, "zhangsan", 1)
	if w := th.Check("zhangsan", "192.0.2.1"); w != time.Minute {
		t.Fatalf("after 5: %v", w)
	}
	if w := th.Check("ZhangSan ", "192.0.2.2"); w != time.Minute {
		t.Errorf("case or spaces escape the lock: %v", w)
	}
	if w := th.Check("lisi", "192.0.2.1"); w != 0 {
		t.Errorf("another account locked: %v", w)
	}
}

// Ensure each failure after the lock doubles it, up to the cap, and that a
// lock expires.
func TestThrottleGrowingDelay(t *testing.T) {
	th, clock := newTestThrottle()
	failN(th, "zhangsan", 5)
	want := time.Minute
	for range 10 {
		if w := th.Check("zhangsan", "192.0.2.1"); w != want {
			t.Fatalf("lock %v, want %v", w, want)
		}
		clock.advance(want - time.Second)
		if w := th.Check("zhangsan", "192.0.2.1"); w != time.Second {
			t.Fatalf("lock after waiting: %v", w)
		}
		clock.advance(time.Second)
		if w := th.Check("zhangsan", "192.0.2.1"); w != 0 {
			t.Fatalf("lock not expired: %v", w)
		}
		failN(th, "zhangsan", 1)
		want = min(2*want, time.Hour)
	}
}

// Ensure success forgets the account's failures but not the address's.
func TestThrottleSucceed(t *testing.T) {
	th, _ := newTestThrottle()
	for range 19 {
		th.Fail("zhangsan", "192.0.2.1")
	}
	if th.Check("zhangsan", "192.0.2.2") == 0 {
		t.Fatal("account not locked")
	}
	th.Succeed("zhangsan")
	if w := th.Check("zhangsan", "192.0.2.2"); w != 0 {
		t.Fatalf("account still locked: %v", w)
	}
	th.Fail("lisi", "192.0.2.1")
	if w := th.Check("wangwu", "192.0.2.1"); w != time.Minute {
		t.Errorf("address forgotten on success: %v", w)
	}
}

// Ensure one address trying one password on many accounts is stopped at the
// address limit, while the accounts stay usable from elsewhere.
func TestThrottleSpraying(t *testing.T) {
	th, _ := newTestThrottle()
	for i := range 20 {
		account := fmt.Sprintf("user%d", i)
		if w := th.Check(account, "198.51.100.7:51234"); w != 0 {
			t.Fatalf("attempt %d refused: %v", i, w)
		}
		th.Fail(account, "198.51.100.7:51234")
	}
	if w := th.Check("user99", "198.51.100.7:40000"); w != time.Minute {
		t.Errorf("spraying address not locked: %v", w)
	}
	if w := th.Check("user0", "203.0.113.1"); w != 0 {
		t.Errorf("account locked by another's spraying: %v", w)
	}
}

// Ensure failures are forgotten after their window, so that occasional typos
// never add up to a lock, and forgotten entries free their memory.
func TestThrottleWindow(t *testing.T) {
	th, clock := newTestThrottle()
	failN(th, "zhangsan", 4)
	for i := range 19 {
		th.Fail(fmt.Sprintf("user%d", i), "192.0.2.1")
	}
	clock.advance(24 * time.Hour)
	failN(th, "zhangsan", 1)
	th.Fail("lisi", "192.0.2.1")
	if w := th.Check("zhangsan", "192.0.2.1"); w != 0 {
		t.Errorf("old failures counted: %v", w)
	}
	if n, m := th.accounts.order.Len(), th.addrs.order.Len(); n != 2 || m != 2 {
		t.Errorf("%d accounts and %d addresses remembered, want 2 and 2", n, m)
	}
}

// Ensure a failure soon after a lock ends still lengthens the next lock,
// while a failure after the window starts afresh.
func TestThrottleAfterLock(t *testing.T) {
	th, clock := newTestThrottle()
	failN(th, "zhangsan", 5)
	clock.advance(time.Minute + 24*time.Hour - time.Second)
	failN(th, "zhangsan", 1)
	if w := th.Check("zhangsan", "192.0.2.1"); w != 2*time.Minute {
		t.Fatalf("lock %v, want 2m", w)
	}
	clock.advance(2*time.Minute + 24*time.Hour)
	failN(th, "zhangsan", 1)
	if w := th.Check("zhangsan", "192.0.2.1"); w != 0 {
		t.Errorf("lock %v, want none", w)
	}
}

// Ensure the number of entries is bounded, the oldest going first.
func TestThrottleMaxEntries(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	th := NewThrottle(ThrottleConfig{MaxEntries: 3, AccountFailures: 1, Now: clock.now})
	for i := range 5 {
		th.Fail(fmt.Sprintf("user%d", i), "192.0.2.1")
	}
	if n := len(th.accounts.byKey); n != 3 {
		t.Fatalf("%d accounts remembered", n)
	}
	if th.Check("user1", "198.51.100.1") != 0 || th.Check("user2", "198.51.100.1") == 0 {
		t.Error("wrong entries evicted")
	}
}

// Ensure ports are ignored and an IPv6 /64 counts as one address.
func TestAddrKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1":                "192.0.2.1",
		"192.0.2.1:443":            "192.0.2.1",
		"::ffff:192.0.2.1":         "192.0.2.1",
		"2001:db8:1:2:3:4:5:6":     "2001:db8:1:2::/64",
		"[2001:db8:1:2::9]:8080":   "2001:db8:1:2::/64",
		"fe80::1%eth0":             "fe80::/64",
		"unix-socket-or-something": "unix-socket-or-something",
	} {
		if got := addrKey(in); got != want {
			t.Errorf("addrKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// Ensure concurrent use is safe (run with -race).
func TestThrottleConcurrent(t *testing.T) {
	th, clock := newTestThrottle()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				account, addr := fmt.Sprintf("user%d", i%7), fmt.Sprintf("192.0.2.%d", g)
				th.Check(account, addr)
				th.Fail(account, addr)
				if i%50 == 0 {
					th.Succeed(account)
					clock.advance(time.Minute)
				}
			}
		})
	}
	wg.Wait()
	if th.Check("user0", "192.0.2.0") == 0 {
		t.Error("hammered address not locked")
	}
}
