// The pod sandbox's process (the image kubeadm names registry.k8s.io/pause): it holds the pod's
// namespaces, reaps the zombies of processes that share its PID namespace, and exits on SIGINT or
// SIGTERM. `pause -v` prints its version and exits 0: kubeadm's upgrade health check runs the
// image that way and fails the upgrade on any other exit (catatonit, used before, refused -v).
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const version = "sts-conformance pause 1"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-v" {
		fmt.Println(version)
		return
	}
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "pause: not the first process of its PID namespace")
	}
	signals := make(chan os.Signal, 16)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range signals {
		if s == syscall.SIGCHLD {
			reap()
			continue
		}
		fmt.Fprintf(os.Stderr, "pause: shutting down on %v\n", s)
		os.Exit(0)
	}
}

// reap collects every exited child without blocking (one SIGCHLD may stand for several).
func reap() {
	for {
		pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}
