package main

import (
	"fmt"
	"sync"
	"syscall"
)

// extent is one write the kernel handed us: data at an offset of a file.
type extent struct {
	off  int64
	data []byte
}

// pending is what a file was written with since its last fsync, in write order (a later write
// over the same bytes wins), the end of the furthest write, and how to fsync the file.
type pending struct {
	extents []extent
	end     int64
	sync    func() syscall.Errno
}

// unsynced holds every file's writes that no fsync has reached yet: the only place they exist.
// A power cut forgets them all, and after it every data operation fails, so nothing written
// between the cut and the node's death can land on the disk.
type unsynced struct {
	mu    sync.Mutex
	files map[uint64]*pending
	cut   bool
}

func newUnsynced() *unsynced { return &unsynced{files: map[uint64]*pending{}} }

// errCut is returned by every data operation after a power cut.
var errCut = fmt.Errorf("power cut: the filesystem takes no more data")

func (u *unsynced) write(ino uint64, off int64, data []byte, fsync func() syscall.Errno) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.cut {
		return errCut
	}
	p := u.files[ino]
	if p == nil {
		p = &pending{sync: fsync}
		u.files[ino] = p
	}
	p.extents = append(p.extents, extent{off: off, data: append([]byte(nil), data...)})
	p.end = max(p.end, off+int64(len(data)))
	return nil
}

// size is the file's size as a reader sees it: the disk's, or further if unsynced writes reach further.
func (u *unsynced) size(ino uint64, onDisk int64) int64 {
	u.mu.Lock()
	defer u.mu.Unlock()
	if p := u.files[ino]; p != nil {
		return max(onDisk, p.end)
	}
	return onDisk
}

// overlay lays the file's unsynced writes over what was read from the disk at off. buf holds the
// disk's bytes in buf[:n] and has room for the read asked for; the result is what a reader sees,
// up to the file's size.
func (u *unsynced) overlay(ino uint64, off int64, buf []byte, n int, onDisk int64) []byte {
	u.mu.Lock()
	defer u.mu.Unlock()
	p := u.files[ino]
	if p == nil {
		return buf[:n]
	}
	end := min(off+int64(len(buf)), max(onDisk, p.end))
	if end <= off {
		return buf[:0]
	}
	out := buf[:end-off]
	clear(out[n:]) // a hole between the disk's end and an unsynced write reads as zeros
	for _, e := range p.extents {
		lo, hi := max(off, e.off), min(end, e.off+int64(len(e.data)))
		if lo < hi {
			copy(out[lo-off:hi-off], e.data[lo-e.off:hi-e.off])
		}
	}
	return out
}

// take removes and returns the file's unsynced writes, for an fsync to put on the disk.
func (u *unsynced) take(ino uint64) ([]extent, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.cut {
		return nil, errCut
	}
	p := u.files[ino]
	delete(u.files, ino)
	if p == nil {
		return nil, nil
	}
	return p.extents, nil
}

// giveBack returns writes an fsync could not put on the disk, ahead of any made since.
func (u *unsynced) giveBack(ino uint64, extents []extent, fsync func() syscall.Errno) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.cut || len(extents) == 0 {
		return
	}
	p := u.files[ino]
	if p == nil {
		p = &pending{sync: fsync}
		u.files[ino] = p
	}
	p.extents = append(append([]extent(nil), extents...), p.extents...)
	for _, e := range extents {
		p.end = max(p.end, e.off+int64(len(e.data)))
	}
}

// truncate cuts the file's unsynced writes at size (the truncation itself goes to the disk at once).
func (u *unsynced) truncate(ino uint64, size int64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	p := u.files[ino]
	if p == nil {
		return
	}
	kept := p.extents[:0]
	p.end = 0
	for _, e := range p.extents {
		if e.off >= size {
			continue
		}
		if e.off+int64(len(e.data)) > size {
			e.data = e.data[:size-e.off]
		}
		kept = append(kept, e)
		p.end = max(p.end, e.off+int64(len(e.data)))
	}
	p.extents = kept
	if len(kept) == 0 {
		delete(u.files, ino)
	}
}

// forget drops a file's unsynced writes (its last name is gone).
func (u *unsynced) forget(ino uint64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	delete(u.files, ino)
}

// amount is what is unsynced now: bytes written (overlaps counted each time) and files.
func (u *unsynced) amount() (bytes int64, files int) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.amountLocked()
}

func (u *unsynced) amountLocked() (bytes int64, files int) {
	for _, p := range u.files {
		for _, e := range p.extents {
			bytes += int64(len(e.data))
		}
	}
	return bytes, len(u.files)
}

// powerCut forgets every unsynced write and refuses data from then on; it returns what was forgotten.
func (u *unsynced) powerCut() (bytes int64, files int) {
	u.mu.Lock()
	defer u.mu.Unlock()
	bytes, files = u.amountLocked()
	u.files = map[uint64]*pending{}
	u.cut = true
	return bytes, files
}

// syncAll fsyncs every file with unsynced writes, as a clean shutdown does; the first error, if any.
func (u *unsynced) syncAll() syscall.Errno {
	u.mu.Lock()
	syncs := make([]func() syscall.Errno, 0, len(u.files))
	for _, p := range u.files {
		syncs = append(syncs, p.sync)
	}
	u.mu.Unlock()
	var first syscall.Errno
	for _, s := range syncs {
		if errno := s(); errno != 0 && first == 0 {
			first = errno
		}
	}
	return first
}
