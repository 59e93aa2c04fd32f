package main

import (
	"context"
	"os"
	"path/filepath"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// node is a loopback node over the backing directory (the "disk") whose file data reaches the
// disk only on fsync: writes are kept in unsynced, reads and sizes see them. Metadata (create,
// rename, unlink, truncate, mode) goes to the disk at once.
type node struct {
	fs.LoopbackNode
	u *unsynced
}

func newRoot(backing string, u *unsynced) (fs.InodeEmbedder, error) {
	var st syscall.Stat_t
	if err := syscall.Stat(backing, &st); err != nil {
		return nil, err
	}
	root := &fs.LoopbackRoot{Path: backing, Dev: uint64(st.Dev)}
	root.NewNode = func(r *fs.LoopbackRoot, _ *fs.Inode, _ string, _ *syscall.Stat_t) fs.InodeEmbedder {
		return &node{LoopbackNode: fs.LoopbackNode{RootData: r}, u: u}
	}
	n := root.NewNode(root, nil, "", &st)
	root.RootNode = n
	return n, nil
}

var (
	_ fs.NodeLookuper  = (*node)(nil)
	_ fs.NodeOpener    = (*node)(nil)
	_ fs.NodeCreater   = (*node)(nil)
	_ fs.NodeGetattrer = (*node)(nil)
	_ fs.NodeSetattrer = (*node)(nil)
	_ fs.NodeFsyncer   = (*node)(nil)
	_ fs.NodeUnlinker  = (*node)(nil)
)

func (n *node) ino() uint64 { return n.StableAttr().Ino }

func (n *node) diskPath() string { return filepath.Join(n.RootData.Path, n.Path(n.Root())) }

// Lookup's attributes are the kernel's idea of the file's size (an O_APPEND write lands there):
// they must count the unsynced writes, as Getattr does.
func (n *node) Lookup(ctx context.Context, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	child, errno := n.LoopbackNode.Lookup(ctx, name, out)
	if errno != 0 {
		return nil, errno
	}
	out.Size = uint64(n.u.size(child.StableAttr().Ino, int64(out.Size)))
	return child, 0
}

func (n *node) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	fh, fuseFlags, errno := n.LoopbackNode.Open(ctx, flags)
	if errno != 0 {
		return nil, 0, errno
	}
	if flags&syscall.O_TRUNC != 0 {
		n.u.truncate(n.ino(), 0)
	}
	return &file{n: n, disk: fh.(*fs.LoopbackFile)}, fuseFlags, 0
}

func (n *node) Create(ctx context.Context, name string, flags, mode uint32, out *fuse.EntryOut) (*fs.Inode, fs.FileHandle, uint32, syscall.Errno) {
	child, fh, fuseFlags, errno := n.LoopbackNode.Create(ctx, name, flags, mode, out)
	if errno != 0 {
		return nil, nil, 0, errno
	}
	c := child.Operations().(*node)
	c.u.forget(c.ino()) // a new file at a reused inode number starts clean
	return child, &file{n: c, disk: fh.(*fs.LoopbackFile)}, fuseFlags, 0
}

func (n *node) Getattr(ctx context.Context, _ fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	if errno := n.LoopbackNode.Getattr(ctx, nil, out); errno != 0 {
		return errno
	}
	out.Size = uint64(n.u.size(n.ino(), int64(out.Size)))
	return 0
}

func (n *node) Setattr(ctx context.Context, f fs.FileHandle, in *fuse.SetAttrIn, out *fuse.AttrOut) syscall.Errno {
	if lf, ok := f.(*file); ok {
		f = lf.disk
	}
	if errno := n.LoopbackNode.Setattr(ctx, f, in, out); errno != 0 {
		return errno
	}
	if size, ok := in.GetSize(); ok {
		n.u.truncate(n.ino(), int64(size))
	}
	out.Size = uint64(n.u.size(n.ino(), int64(out.Size)))
	return 0
}

func (n *node) Fsync(_ context.Context, _ fs.FileHandle, _ uint32) syscall.Errno { return n.sync() }

func (n *node) Unlink(ctx context.Context, name string) syscall.Errno {
	var st syscall.Stat_t
	known := syscall.Lstat(filepath.Join(n.diskPath(), name), &st) == nil
	if errno := n.LoopbackNode.Unlink(ctx, name); errno != 0 {
		return errno
	}
	if known && st.Nlink <= 1 {
		if child := n.GetChild(name); child != nil {
			n.u.forget(child.StableAttr().Ino)
		}
	}
	return 0
}

// sync puts the file's unsynced writes on the disk and fsyncs it there: what survives a power cut.
func (n *node) sync() syscall.Errno {
	extents, err := n.u.take(n.ino())
	if err != nil {
		return syscall.EIO
	}
	if errno := writeToDisk(n.diskPath(), extents); errno != 0 {
		n.u.giveBack(n.ino(), extents, n.sync)
		return errno
	}
	return 0
}

func writeToDisk(path string, extents []extent) syscall.Errno {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fs.ToErrno(err)
	}
	defer f.Close()
	for _, e := range extents {
		if _, err := f.WriteAt(e.data, e.off); err != nil {
			return fs.ToErrno(err)
		}
	}
	return fs.ToErrno(f.Sync())
}

// file is an open file of a node. It holds the disk's descriptor for reads and metadata, never
// for writes, and offers no passthrough descriptor: every read and write comes to us.
type file struct {
	n    *node
	disk *fs.LoopbackFile
}

var (
	_ fs.FileReader    = (*file)(nil)
	_ fs.FileWriter    = (*file)(nil)
	_ fs.FileFsyncer   = (*file)(nil)
	_ fs.FileGetattrer = (*file)(nil)
	_ fs.FileFlusher   = (*file)(nil)
	_ fs.FileReleaser  = (*file)(nil)
)

func (f *file) Read(ctx context.Context, dest []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	r, errno := f.disk.Read(ctx, dest, off)
	if errno != 0 {
		return nil, errno
	}
	got, status := r.Bytes(dest)
	if !status.Ok() {
		return nil, syscall.EIO
	}
	if len(got) > 0 && &got[0] != &dest[0] {
		copy(dest, got)
	}
	var onDisk fuse.AttrOut
	if errno := f.disk.Getattr(ctx, &onDisk); errno != 0 {
		return nil, errno
	}
	return fuse.ReadResultData(f.n.u.overlay(f.n.ino(), off, dest, len(got), int64(onDisk.Size))), 0
}

func (f *file) Write(_ context.Context, data []byte, off int64) (uint32, syscall.Errno) {
	if err := f.n.u.write(f.n.ino(), off, data, f.n.sync); err != nil {
		return 0, syscall.EIO
	}
	return uint32(len(data)), 0
}

func (f *file) Fsync(_ context.Context, _ uint32) syscall.Errno { return f.n.sync() }

func (f *file) Getattr(ctx context.Context, out *fuse.AttrOut) syscall.Errno {
	if errno := f.disk.Getattr(ctx, out); errno != 0 {
		return errno
	}
	out.Size = uint64(f.n.u.size(f.n.ino(), int64(out.Size)))
	return 0
}

// Flush is close(2): it persists nothing (close is not fsync).
func (f *file) Flush(ctx context.Context) syscall.Errno { return f.disk.Flush(ctx) }

func (f *file) Release(ctx context.Context) syscall.Errno { return f.disk.Release(ctx) }
