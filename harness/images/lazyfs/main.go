// sts-lazyfs: a FUSE filesystem that forgets what was not fsynced, as a power cut does (after
// Jepsen's LazyFS). It serves a backing directory (the "disk"); file data reaches the disk only on
// fsync or fdatasync, and until then lives in this process alone. Killing the process, or the kind
// node it runs in, loses exactly the unsynced writes; `ctl power-cut` forgets them first and says
// how much, so a fault can prove it cut something.
//
//	sts-lazyfs serve BACKING MOUNTPOINT CONTROL_SOCKET
//	sts-lazyfs ctl CONTROL_SOCKET power-cut|status
package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

func main() {
	var err error
	switch {
	case len(os.Args) == 5 && os.Args[1] == "serve":
		err = serve(os.Args[2], os.Args[3], os.Args[4])
	case len(os.Args) == 4 && os.Args[1] == "ctl":
		err = ctl(os.Args[2], os.Args[3])
	default:
		err = errors.New("usage: sts-lazyfs serve BACKING MOUNTPOINT CONTROL_SOCKET | ctl CONTROL_SOCKET power-cut|status")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sts-lazyfs:", err)
		os.Exit(1)
	}
}

func serve(backing, mountpoint, control string) error {
	u := newUnsynced()
	root, err := newRoot(backing, u)
	if err != nil {
		return err
	}
	// Short caches: after a power cut the node restarts and the kernel's view must be the disk's.
	second := time.Second
	server, err := fs.Mount(mountpoint, root, &fs.Options{
		EntryTimeout: &second,
		AttrTimeout:  &second,
		MountOptions: fuse.MountOptions{
			AllowOther:        true, // pods run as any user
			FsName:            "sts-lazyfs",
			Name:              "lazyfs",
			DirectMountStrict: true, // mount(2) as root; the node has no fusermount
		},
	})
	if err != nil {
		return fmt.Errorf("mount %s over %s: %w", mountpoint, backing, err)
	}
	_ = os.Remove(control)
	listener, err := net.Listen("unix", control)
	if err != nil {
		return err
	}
	go answer(listener, u)
	notifyReady()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		// A clean shutdown syncs, as an operating system's does; only a power cut forgets.
		if errno := u.syncAll(); errno != 0 {
			fmt.Fprintln(os.Stderr, "sts-lazyfs: sync at shutdown:", errno)
		}
		_ = server.Unmount()
	}()
	server.Wait()
	return nil
}

// answer serves the control socket: one command per connection, one line back.
func answer(l net.Listener, u *unsynced) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			line, _ := bufio.NewReader(c).ReadString('\n')
			switch strings.TrimSpace(line) {
			case "power-cut":
				bytes, files := u.powerCut()
				fmt.Fprintf(c, "forgot %d unsynced bytes in %d files\n", bytes, files)
			case "status":
				bytes, files := u.amount()
				fmt.Fprintf(c, "%d unsynced bytes in %d files\n", bytes, files)
			default:
				fmt.Fprintf(c, "error: unknown command %q\n", strings.TrimSpace(line))
			}
		}()
	}
}

func ctl(control, command string) error {
	c, err := net.Dial("unix", control)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := fmt.Fprintln(c, command); err != nil {
		return err
	}
	reply, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.HasPrefix(reply, "error: ") {
		return errors.New(strings.TrimSpace(strings.TrimPrefix(reply, "error: ")))
	}
	fmt.Print(reply)
	return nil
}

// notifyReady tells systemd (Type=notify) the mount is up, so the kubelet starts after it.
func notifyReady() {
	socket := os.Getenv("NOTIFY_SOCKET")
	if socket == "" {
		return
	}
	c, err := net.Dial("unixgram", socket)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sts-lazyfs: notify systemd:", err)
		return
	}
	defer c.Close()
	_, _ = c.Write([]byte("READY=1"))
}
