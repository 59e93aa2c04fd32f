package main

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

func noSync() syscall.Errno { return 0 }

func TestOverlayShowsUnsyncedWritesOverTheDisk(t *testing.T) {
	u := newUnsynced()
	_ = u.write(1, 2, []byte("XY"), noSync)
	_ = u.write(1, 8, []byte("Z"), noSync) // past the disk's end: a hole of zeros between
	buf := make([]byte, 16)
	n := copy(buf, "abcdef")
	got := u.overlay(1, 0, buf, n, 6)
	if want := []byte("abXYef\x00\x00Z"); !bytes.Equal(got, want) {
		t.Fatalf("overlay = %q, want %q", got, want)
	}
	if s := u.size(1, 6); s != 9 {
		t.Fatalf("size = %d, want 9", s)
	}
}

func TestTruncateCutsUnsyncedWrites(t *testing.T) {
	u := newUnsynced()
	_ = u.write(1, 0, []byte("hello world"), noSync)
	u.truncate(1, 5)
	if s := u.size(1, 5); s != 5 {
		t.Fatalf("size after truncate = %d, want 5", s)
	}
	got := u.overlay(1, 0, make([]byte, 16), 0, 5)
	if string(got) != "hello" {
		t.Fatalf("after truncate = %q", got)
	}
}

func TestPowerCutForgetsAndRefusesData(t *testing.T) {
	u := newUnsynced()
	_ = u.write(1, 0, []byte("abc"), noSync)
	_ = u.write(2, 0, []byte("de"), noSync)
	if b, f := u.powerCut(); b != 5 || f != 2 {
		t.Fatalf("power cut forgot %d bytes in %d files, want 5 in 2", b, f)
	}
	if err := u.write(1, 3, []byte("x"), noSync); err == nil {
		t.Fatal("a write after the cut was taken")
	}
	if _, err := u.take(1); err == nil {
		t.Fatal("an fsync after the cut was taken")
	}
}

// TestMountedOnlySyncedDataReachesTheDisk mounts the filesystem for real (root and /dev/fuse
// needed, as on the kind nodes): an unsynced append is readable through the mount but not on the
// disk, an fsynced one is on the disk, and a power cut loses only the unsynced one.
func TestMountedOnlySyncedDataReachesTheDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting needs root")
	}
	if _, err := os.Stat("/dev/fuse"); err != nil {
		t.Skip("no /dev/fuse")
	}
	backing, mnt := t.TempDir(), t.TempDir()
	u := newUnsynced()
	root, err := newRoot(backing, u)
	if err != nil {
		t.Fatal(err)
	}
	zero := time.Duration(0)
	server, err := fs.Mount(mnt, root, &fs.Options{
		EntryTimeout: &zero, AttrTimeout: &zero,
		MountOptions: fuse.MountOptions{DirectMountStrict: true, AllowOther: true},
	})
	if err != nil {
		t.Skipf("cannot mount FUSE here: %v", err)
	}
	defer func() { _ = server.Unmount() }()

	appendLine := func(line string, fsync bool) {
		f, err := os.OpenFile(filepath.Join(mnt, "journal"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString(line); err != nil {
			t.Fatal(err)
		}
		if fsync {
			if err := f.Sync(); err != nil {
				t.Fatal(err)
			}
		}
	}
	read := func(dir string) string {
		b, err := os.ReadFile(filepath.Join(dir, "journal"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	appendLine("1\n", true)
	appendLine("2\n", false)
	if got := read(mnt); got != "1\n2\n" {
		t.Fatalf("through the mount: %q", got)
	}
	if got := read(backing); got != "1\n" {
		t.Fatalf("on the disk before a sync of 2: %q", got)
	}
	appendLine("3\n", true) // an fsync of the file syncs what came before it too
	appendLine("4\n", false)
	if got := read(backing); got != "1\n2\n3\n" {
		t.Fatalf("on the disk after syncing 3: %q", got)
	}
	if b, f := u.powerCut(); b != 2 || f != 1 {
		t.Fatalf("power cut forgot %d bytes in %d files, want 2 in 1", b, f)
	}
	if got := read(backing); got != "1\n2\n3\n" {
		t.Fatalf("on the disk after the cut: %q", got)
	}
}
