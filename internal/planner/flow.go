package planner

// route sends each city's enterprises to classes of teams allowed there, at
// most limit visits per team, as many as possible: a maximum flow from the
// cities (capacity: their enterprises) to the classes (capacity: limit times
// their teams). It returns the flow per city and class and its total. The
// network has at most 2 + cities + classes nodes, so Edmonds–Karp (shortest
// augmenting paths, found in index order, hence deterministic) is plenty.
func route(demand []int, classes []class, limit int) (flow [][]int, total int) {
	n := len(demand)
	src, sink := n+len(classes), n+len(classes)+1
	capacity := make([][]int, sink+1)
	for i := range capacity {
		capacity[i] = make([]int, sink+1)
	}
	for c, d := range demand {
		capacity[src][c] = d
		for k, cl := range classes {
			if cl.barred&(1<<c) == 0 {
				capacity[c][n+k] = d
			}
		}
	}
	for k, cl := range classes {
		capacity[n+k][sink] = limit * cl.teams
	}
	residual := maxFlow(capacity, src, sink)
	flow = make([][]int, n)
	for c := range demand {
		flow[c] = make([]int, len(classes))
		for k := range classes {
			flow[c][k] = residual[n+k][c] // the reverse residual is what went forward
			total += flow[c][k]
		}
	}
	return flow, total
}

// maxFlow returns the residual network of a maximum flow; residual[v][u] for
// an edge u→v that had no reverse capacity is the flow on it.
func maxFlow(capacity [][]int, src, sink int) [][]int {
	r := capacity
	for {
		prev := make([]int, len(r))
		for i := range prev {
			prev[i] = -1
		}
		prev[src] = src
		queue := []int{src}
		for len(queue) > 0 && prev[sink] < 0 {
			u := queue[0]
			queue = queue[1:]
			for v, c := range r[u] {
				if c > 0 && prev[v] < 0 {
					prev[v] = u
					queue = append(queue, v)
				}
			}
		}
		if prev[sink] < 0 {
			return r
		}
		push := int(^uint(0) >> 1)
		for v := sink; v != src; v = prev[v] {
			push = min(push, r[prev[v]][v])
		}
		for v := sink; v != src; v = prev[v] {
			r[prev[v]][v] -= push
			r[v][prev[v]] += push
		}
	}
}
