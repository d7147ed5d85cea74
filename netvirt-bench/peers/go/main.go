// go-peer: the seed and the star written the way a Go program builds them with vishvananda/netlink and
// vishvananda/netns, timing itself inside its process (the Go runtime's start is not counted).
//
//	go-peer seed up|down PREFIX     namespaces PREFIXnet0, PREFIXnet1, PREFIXbridge (see peers/seed.sh)
//	go-peer star up|down N PREFIX   namespaces PREFIXbr and PREFIXh1..PREFIXhN (see peers/star.sh)
//
// Prints one line, "go up_ms=<ms>" or "go down_ms=<ms>", which netvirt-bench parses. The networks are
// the ones ip -batch makes: the bridge's veth ends are created in its namespace, enslaved and up, with
// their peers placed straight in the other namespace, where the address is added and the link set up.
// "down" deletes the named namespaces (their devices go with them). A failing "up" removes what it made.
//
// Build (Debian: golang-go, golang-github-vishvananda-netlink-dev, golang-github-vishvananda-netns-dev):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o go-peer main.go
package main

import (
	"fmt"
	"net"
	"os"
	"syscall"
	"runtime"
	"strconv"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// endpoint: a namespace joined to the bridge by a veth pair, with an address on its end.
type endpoint struct {
	ns       string // namespace name
	dev      string // the veth end inside ns
	port     string // the veth end in the bridge's namespace
	addrCIDR string
}

type topology struct {
	bridgeNs  string
	bridge    string
	endpoints []endpoint
}

func seed(prefix string) topology {
	return topology{prefix + "bridge", "br", []endpoint{
		{prefix + "net0", "net0-bridge", "bridge-net0", "10.0.1.1/24"},
		{prefix + "net1", "net1-bridge", "bridge-net1", "10.0.1.2/24"},
	}}
}

func star(prefix string, n int) topology {
	t := topology{prefix + "br", "pbbr", nil}
	for i := 1; i <= n; i++ {
		t.endpoints = append(t.endpoints, endpoint{prefix + "h" + strconv.Itoa(i), "pbeth", "pbh" + strconv.Itoa(i),
			fmt.Sprintf("10.213.%d.%d/16", i/256, i%256)})
	}
	return t
}

func (t topology) namespaces() []string {
	names := []string{t.bridgeNs}
	for _, e := range t.endpoints {
		names = append(names, e.ns)
	}
	return names
}

func (t topology) up() (err error) {
	// netns.NewNamed moves the calling thread into the namespace it makes: keep this goroutine on its
	// thread and bring the thread back each time
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	origin, err := netns.Get()
	if err != nil {
		return err
	}
	defer origin.Close()
	handles := map[string]netns.NsHandle{}
	var made []string
	defer func() {
		netns.Set(origin) // NewNamed may have failed after it switched
		for _, h := range handles {
			h.Close()
		}
		if err != nil {
			// only what this run made: a namespace that was there before is not ours to delete
			topology{}.deleteNamed(made)
		}
	}()
	for _, name := range t.namespaces() {
		h, err := netns.NewNamed(name)
		if err != nil {
			return fmt.Errorf("netns %s: %w", name, err)
		}
		made = append(made, name)
		handles[name] = h
		if err := netns.Set(origin); err != nil {
			return err
		}
	}
	b, err := netlink.NewHandleAt(handles[t.bridgeNs])
	if err != nil {
		return err
	}
	defer b.Delete()
	br := &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: t.bridge, Flags: net.FlagUp}}
	if err := b.LinkAdd(br); err != nil {
		return fmt.Errorf("bridge %s: %w", t.bridge, err)
	}
	for _, e := range t.endpoints {
		veth := &netlink.Veth{
			LinkAttrs:     netlink.LinkAttrs{Name: e.port, MasterIndex: br.Attrs().Index, Flags: net.FlagUp},
			PeerName:      e.dev,
			PeerNamespace: netlink.NsFd(handles[e.ns]),
		}
		if err := b.LinkAdd(veth); err != nil {
			return fmt.Errorf("veth %s: %w", e.port, err)
		}
		h, err := netlink.NewHandleAt(handles[e.ns])
		if err != nil {
			return err
		}
		err = configure(h, e)
		h.Delete()
		if err != nil {
			return err
		}
	}
	return nil
}

func configure(h *netlink.Handle, e endpoint) error {
	link, err := h.LinkByName(e.dev)
	if err != nil {
		return fmt.Errorf("%s in %s: %w", e.dev, e.ns, err)
	}
	addr, err := netlink.ParseAddr(e.addrCIDR)
	if err != nil {
		return err
	}
	if err := h.AddrAdd(link, addr); err != nil {
		return fmt.Errorf("address %s: %w", e.addrCIDR, err)
	}
	return h.LinkSetUp(link)
}

// down deletes every namespace of the topology that exists, and reports the first failure.
func (t topology) down() error {
	return t.deleteNamed(t.namespaces())
}

func (topology) deleteNamed(names []string) error {
	var first error
	for _, name := range names {
		if _, err := os.Stat("/run/netns/" + name); os.IsNotExist(err) {
			continue
		}
		if err := netns.DeleteNamed(name); err != nil && first == nil {
			first = fmt.Errorf("delete %s: %w", name, err)
		}
	}
	return first
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: go-peer seed up|down PREFIX | go-peer star up|down N PREFIX")
	os.Exit(2)
}

func main() {
	if len(os.Args) < 4 {
		usage()
	}
	var t topology
	switch os.Args[1] {
	case "seed":
		t = seed(os.Args[3])
	case "star":
		if len(os.Args) < 5 {
			usage()
		}
		n, err := strconv.Atoi(os.Args[3])
		if err != nil || n < 1 || n > 65000 {
			usage()
		}
		t = star(os.Args[4], n)
	default:
		usage()
	}
	var run func() error
	switch os.Args[2] {
	case "up":
		run = t.up
	case "down":
		run = t.down
	default:
		usage()
	}
	cpu0 := cpuNanos()
	start := time.Now()
	err := run()
	elapsed := time.Since(start)
	cpu1 := cpuNanos()
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-peer:", err)
		os.Exit(1)
	}
	fmt.Printf("go %s_ms=%.3f\n", os.Args[2], float64(elapsed.Nanoseconds())/1e6)
	if cpu0 >= 0 && cpu1 >= 0 {
		fmt.Printf("go %s_cpu_ms=%.3f\n", os.Args[2], float64(cpu1-cpu0)/1e6)
	}
}

// cpuNanos is the process's CPU time so far (user and system, every thread), from getrusage; -1
// when it cannot be read (then no cpu_ms line is printed).
func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
